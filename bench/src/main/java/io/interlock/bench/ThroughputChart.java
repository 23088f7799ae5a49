package io.interlock.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput against clients, one line per variant and one for the ceiling, as a plain SVG: clients
 * on a log scale (1, 4, 16, 64 are evenly spaced), commands per second from zero.
 */
final class ThroughputChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#7f7f7f", "#9467bd"};

    private ThroughputChart() {
    }

    /** {@code lines}: name to (clients to per second), in drawing order; the last is drawn dashed. */
    static String svg(String title, List<Integer> clients, Map<String, Map<Integer, Double>> lines) {
        double max = lines.values().stream().flatMap(l -> l.values().stream()).mapToDouble(Double::doubleValue).max()
                .orElse(1);
        double top = niceCeiling(max);
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                + " font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(format("<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double value = top * i / 5;
            double y = TOP + plotH - plotH * i / 5.0;
            svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y,
                    LEFT + plotW, y));
            svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,.0f</text>%n", LEFT - 6, y + 4, value));
        }
        for (int i = 0; i < clients.size(); i++) {
            double x = x(i, clients.size(), plotW);
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, TOP + plotH + 18,
                    clients.get(i)));
        }
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">clients</text>%n", LEFT + plotW / 2,
                HEIGHT - 10));
        svg.append(format("<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">commands"
                + " (ceiling: transactions) per second</text>%n", TOP + plotH / 2, TOP + plotH / 2));
        int n = 0;
        for (Map.Entry<String, Map<Integer, Double>> line : lines.entrySet()) {
            String colour = COLOURS[n % COLOURS.length];
            boolean last = n == lines.size() - 1;
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < clients.size(); i++) {
                Double value = line.getValue().get(clients.get(i));
                if (value != null) {
                    points.append(format("%.1f,%.1f ", x(i, clients.size(), plotW), TOP + plotH - plotH * value / top));
                }
            }
            svg.append(format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s points=\"%s\"/>%n", colour,
                    last ? " stroke-dasharray=\"6 4\"" : "", points.toString().trim()));
            for (String point : points.toString().trim().split(" ")) {
                String[] xy = point.split(",");
                svg.append(format("<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" fill=\"%s\"/>%n", xy[0], xy[1], colour));
            }
            int legendY = TOP + 10 + n * 22;
            svg.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
                    LEFT + plotW + 14, legendY, LEFT + plotW + 38, legendY, colour,
                    last ? " stroke-dasharray=\"6 4\"" : ""));
            svg.append(format("<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 44, legendY + 4,
                    escape(line.getKey())));
            n++;
        }
        return svg.append("</svg>\n").toString();
    }

    static Map<String, Map<Integer, Double>> lines() {
        return new LinkedHashMap<>();
    }

    private static double x(int i, int count, int plotW) {
        return LEFT + 20 + (plotW - 40) * (count == 1 ? 0.5 : i / (double) (count - 1));
    }

    private static double niceCeiling(double max) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[]{1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
