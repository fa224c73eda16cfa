package dev.odeflow.driver.data;

import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumberTextTest {

    private static double parse(String s) {
        return NumberText.parse(UTF8String.fromString(s));
    }

    @Test
    void decimalsParseExactlyAsJavaDoes() {
        SplittableRandom r = new SplittableRandom(7);
        String[] formats = {"%.8g", "%.15g", "%.17g", "%.3f", "%.0f", "%.6e", "%.16e"};
        for (int i = 0; i < 200_000; i++) {
            double v = r.nextGaussian() * Math.pow(10, r.nextInt(-30, 30));
            String s = String.format(Locale.ROOT, formats[i % formats.length], v);
            assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(parse(s)), s);
        }
        for (String s : new String[] {"0", "-0.0", "+1.5", ".5", "5.", "1e5", "1E-5", "007", "0.000123",
                                      "123456789012345", "1234567890123456789", "1e400", "-1e-400", " 2.5 ", "1.5d"}) {
            assertEquals(Double.doubleToLongBits(Double.parseDouble(s.strip())), Double.doubleToLongBits(parse(s)),
                    s);
        }
    }

    @Test
    void specialValuesMissingAndText() {
        assertEquals(Double.POSITIVE_INFINITY, parse("Infinity"));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-INF"));
        for (String missing : new String[] {"", "  ", "NaN", "nan", "-NaN"}) {
            assertTrue(Double.isNaN(parse(missing)), missing);
            assertTrue(NumberText.isMissing(UTF8String.fromString(missing)), missing);
        }
        for (String text : new String[] {"3x4.0", "abc", "1e", "-", ".", "1.2.3", "1e5e5", "--1"}) {
            assertTrue(Double.isNaN(parse(text)), text);
            assertFalse(NumberText.isMissing(UTF8String.fromString(text)), text);
        }
    }
}
