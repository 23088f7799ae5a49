package io.interlock.query.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Query input is taken as it is meant or refused, naming the parameter: an unknown parameter is a
 * typo that would otherwise show everything ({@code ?colour=red}), and a value with an invalid
 * percent-encoding, a NUL or more characters than any stored value has would otherwise fail deep
 * down (Tomcat refuses to parse such a query string, PostgreSQL refuses a NUL) as a 500. Path
 * variables are held to the same rules. The query string is decoded here, strictly, before
 * anything asks Tomcat for a parameter.
 */
final class StrictInput implements HandlerInterceptor {

    /** Longer than any id, state list or instant the read models hold. */
    static final int MAX_VALUE_LENGTH = 255;

    private final Map<Method, Set<String>> parameters = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (variables instanceof Map<?, ?> map) {
            map.forEach((name, value) -> check(String.valueOf(name), String.valueOf(value)));
        }
        String query = request.getQueryString();
        if (query == null || query.isEmpty()) {
            return true;
        }
        Set<String> known = parameters.computeIfAbsent(method.getMethod(), m -> names(method));
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), "parameter name");
            if (!known.contains(name)) {
                throw QueryRejection.invalid(printable(name), "Unknown query parameter " + printable(name)
                        + (known.isEmpty() ? "; this endpoint takes none" : "; known are " + known));
            }
            if (!seen.add(name)) {
                throw QueryRejection.invalid(name, name + " is given more than once");
            }
            check(name, decode(equals < 0 ? "" : pair.substring(equals + 1), name));
        }
        return true;
    }

    private static void check(String field, String value) {
        if (value.indexOf('\u0000') >= 0) {
            throw QueryRejection.invalid(field, field + " must not contain a NUL character");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw QueryRejection.invalid(field, field + " is longer than " + MAX_VALUE_LENGTH + " characters");
        }
    }

    private static Set<String> names(HandlerMethod method) {
        Set<String> names = new HashSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                String name = !param.name().isEmpty() ? param.name() : parameter.getParameterName();
                names.add(name);
            }
        }
        return Set.copyOf(names);
    }

    /** Form decoding ({@code +} is a space), refusing what is not percent-encoded UTF-8. */
    private static String decode(String raw, String field) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (low < 0) {
                    throw QueryRejection.invalid(field, field + " has an invalid percent-encoding");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw QueryRejection.invalid(field, field + " is not valid UTF-8 once percent-decoded");
        }
    }

    /** A name fit to be quoted back: an unknown name may hold anything. */
    private static String printable(String name) {
        String clean = name.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "...";
    }
}
