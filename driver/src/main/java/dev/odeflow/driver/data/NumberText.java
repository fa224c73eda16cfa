package dev.odeflow.driver.data;

import org.apache.spark.unsafe.types.UTF8String;

import java.util.Locale;

/**
 * Parses a CSV field (UTF-8 bytes) as a double, as Spark's string-to-double cast does: surrounding whitespace is
 * ignored, {@code NaN}, {@code Infinity}, {@code inf} (any case, with a sign) are accepted, anything else that
 * {@link Double#parseDouble} accepts is a number, and an empty field is missing. Plain decimals with at most 15
 * significant digits and a small exponent (the usual case) are converted without a String, exactly (Clinger's
 * fast path: both the digits and the power of ten are exact doubles, so one division or product rounds once).
 * A field that is not a number parses as NaN too; {@link #isMissing} tells it from an empty field or NaN.
 */
final class NumberText {

    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private NumberText() {
    }

    /** Whether a field that parses as NaN is empty or NaN (missing) rather than text that is not a number. */
    static boolean isMissing(UTF8String s) {
        return isMissing(s, 0, s.numBytes());
    }

    /** As {@link #isMissing(UTF8String)} for the bytes [from, to) of {@code s}. */
    static boolean isMissing(UTF8String s, int from, int to) {
        String t = text(s, from, to).strip();
        return t.isEmpty() || t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("+nan") || t.equalsIgnoreCase("-nan");
    }

    /** The field's value: a double, or NaN for an empty field, NaN, or text that is not a number. */
    static double parse(UTF8String s) {
        return parse(s, 0, s.numBytes());
    }

    /** As {@link #parse(UTF8String)} for the bytes [from, to) of {@code s} (a field of a CSV line). */
    static double parse(UTF8String s, int from, int to) {
        int n = to;
        int i = from;
        while (i < n && s.getByte(i) <= ' ') {
            i++;
        }
        while (n > i && s.getByte(n - 1) <= ' ') {
            n--;
        }
        if (i == n) {
            return Double.NaN;
        }
        double fast = fast(s, i, n);
        return fast == fast ? fast : slow(text(s, i, n));
    }

    /** Clinger's fast path, or NaN when it does not apply. */
    private static double fast(UTF8String s, int i, int n) {
        boolean negative = false;
        byte c = s.getByte(i);
        if (c == '-' || c == '+') {
            negative = c == '-';
            i++;
        }
        long digits = 0;
        int significant = 0;
        int scale = 0;
        boolean any = false;
        boolean point = false;
        for (; i < n; i++) {
            c = s.getByte(i);
            if (c >= '0' && c <= '9') {
                any = true;
                if (digits != 0 || c != '0') {
                    if (++significant > 15) {
                        return Double.NaN;
                    }
                    digits = digits * 10 + (c - '0');
                }
                if (point) {
                    scale--;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        if (i < n) {
            if (c != 'e' && c != 'E' || ++i == n) {
                return Double.NaN;
            }
            boolean negExp = false;
            c = s.getByte(i);
            if (c == '-' || c == '+') {
                negExp = c == '-';
                if (++i == n) {
                    return Double.NaN;
                }
            }
            int exp = 0;
            for (; i < n; i++) {
                c = s.getByte(i);
                if (c < '0' || c > '9' || exp > 1000) {
                    return Double.NaN;
                }
                exp = exp * 10 + (c - '0');
            }
            scale += negExp ? -exp : exp;
        }
        double v;
        if (digits == 0) {
            v = 0;
        } else if (scale >= 0 && scale < POW10.length) {
            v = digits * POW10[scale];
        } else if (scale < 0 && -scale < POW10.length) {
            v = digits / POW10[-scale];
        } else {
            return Double.NaN;
        }
        return negative ? -v : v;
    }

    /** The bytes [from, to) of {@code s} as a String. */
    static String text(UTF8String s, int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) {
            b[i - from] = s.getByte(i);
        }
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static double slow(String t) {
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return switch (t.toLowerCase(Locale.ROOT)) {
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            };
        }
    }
}
