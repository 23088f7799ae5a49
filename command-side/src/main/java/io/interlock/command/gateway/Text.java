package io.interlock.command.gateway;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.CONSTRUCTOR;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * Free text that every store of it can hold: at most {@code max} characters (the narrowest column
 * it lands in, on either side), and no character PostgreSQL refuses or that has no business in a
 * name: NUL and the other control characters, lone surrogates, U+FFFE and U+FFFF. A multi-line
 * text (a task's reason) may hold tabs and line breaks. A string's length in UTF-16 units is never
 * less than its length in characters, so a value within {@code max} fits a {@code varchar(max)}.
 */
@Documented
@Constraint(validatedBy = Text.Validator.class)
@Target({METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface Text {

    int min() default 0;

    int max();

    boolean multiline() default false;

    String message() default "must be {min} to {max} characters of text, without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<Text, String> {
        private Text text;

        @Override
        public void initialize(Text text) {
            this.text = text;
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || (value.length() >= text.min() && fits(value, text.max(), text.multiline()));
        }

        /** For text that arrives outside a request body: path variables, headers. */
        public static boolean fits(String value, int max, boolean multiline) {
            if (value.length() > max) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        i++;
                        continue;
                    }
                    return false;
                }
                if (Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                    return false;
                }
                if (c == '\t' || c == '\n' || c == '\r') {
                    if (!multiline) {
                        return false;
                    }
                } else if (Character.isISOControl(c)) {
                    return false;
                }
            }
            return true;
        }
    }
}
