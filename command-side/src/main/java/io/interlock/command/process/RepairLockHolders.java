package io.interlock.command.process;

/**
 * Who holds a volume's repair lock, written so the holder can be read back: a replacement
 * request ({@code replacement/<id>}) or one of its steps ({@code replacement/<id>/steps/<volumeId>}).
 * Ids never contain a slash, so the parts are unambiguous.
 */
public final class RepairLockHolders {

    private static final String PREFIX = "replacement/";
    private static final String STEPS = "/steps/";

    public record StepHolder(String requestId, String volumeId) {
    }

    private RepairLockHolders() {
    }

    public static String request(String requestId) {
        return PREFIX + requestId;
    }

    public static String step(String requestId, String volumeId) {
        return PREFIX + requestId + STEPS + volumeId;
    }

    /** The step a holder names, or null when the holder is not a step (or is nobody). */
    public static StepHolder asStep(String holder) {
        if (holder == null || !holder.startsWith(PREFIX)) {
            return null;
        }
        String rest = holder.substring(PREFIX.length());
        int steps = rest.indexOf(STEPS);
        if (steps < 0) {
            return null;
        }
        return new StepHolder(rest.substring(0, steps), rest.substring(steps + STEPS.length()));
    }
}
