package dev.odeflow.driver.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable set of {@code key = value} settings read from a job file and command-line overrides.
 *
 * <p>File syntax: one {@code key = value} per line; blank lines and lines starting with {@code #} are ignored;
 * a value may be wrapped in single or double quotes (kept verbatim inside); otherwise a trailing
 * {@code # comment} is dropped. Overrides are {@code key=value} strings and win over the file. Malformed lines,
 * duplicate keys and keys outside the known set are errors naming the file and line (or "command line").
 */
public final class JobConf {

    /** Where a value came from, e.g. {@code job.conf:12} or {@code command line 'lr=1'}. */
    private record Entry(String value, String origin) {
    }

    private final Map<String, Entry> entries;

    private JobConf(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Reads {@code file} (may be null for none) and applies {@code overrides}; keys must be in {@code known}. */
    public static JobConf load(Path file, List<String> overrides, Set<String> known) {
        Map<String, Entry> map = new LinkedHashMap<>();
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException("cannot read job file " + file + ": " + e.getMessage(), e);
            }
            parseLines(file.toString(), lines, known, map);
        }
        applyOverrides(overrides, known, map);
        return new JobConf(map);
    }

    /** Parses job-file text; {@code name} is used in error messages. */
    public static JobConf parse(String name, String text, List<String> overrides, Set<String> known) {
        Map<String, Entry> map = new LinkedHashMap<>();
        parseLines(name, text.lines().toList(), known, map);
        applyOverrides(overrides, known, map);
        return new JobConf(map);
    }

    /** Only overrides (no file). */
    public static JobConf ofOverrides(List<String> overrides, Set<String> known) {
        return load(null, overrides, known);
    }

    /**
     * Settings from another source than a file or the command line, e.g. a model's {@code model.json}: each
     * value's origin is {@code source}, as in {@code model.json settings: eval.steps = '-1': ...}.
     */
    public static JobConf of(String source, Map<String, String> values, Set<String> known) {
        Map<String, Entry> map = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            checkKey(key, source, known);
            map.put(key, new Entry(value, source));
        });
        return new JobConf(map);
    }

    private static void parseLines(String name, List<String> lines, Set<String> known, Map<String, Entry> map) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String origin = name + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(origin + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip(), origin, true);
            checkKey(key, origin, known);
            if (map.containsKey(key)) {
                throw new ConfigException(origin + ": key '" + key + "' is already set at " + map.get(key).origin());
            }
            map.put(key, new Entry(value, origin));
        }
    }

    private static void applyOverrides(List<String> overrides, Set<String> known, Map<String, Entry> map) {
        if (overrides == null) {
            return;
        }
        for (String o : overrides) {
            String origin = "command line '" + o + "'";
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(origin + ": expected key=value");
            }
            String key = o.substring(0, eq).strip();
            checkKey(key, origin, known);
            map.put(key, new Entry(unquote(o.substring(eq + 1).strip(), origin, false), origin));
        }
    }

    private static void checkKey(String key, String origin, Set<String> known) {
        if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(origin + ": malformed key '" + key + "'");
        }
        if (!known.contains(key)) {
            throw new ConfigException(origin + ": unknown key '" + key + "'; known keys: " + new TreeSet<>(known));
        }
    }

    private static String unquote(String v, String origin, boolean stripComment) {
        if (!v.isEmpty() && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            char q = v.charAt(0);
            int end = v.indexOf(q, 1);
            if (end < 0) {
                throw new ConfigException(origin + ": unterminated quote in value " + v);
            }
            String rest = v.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new ConfigException(origin + ": unexpected text after quoted value: " + rest);
            }
            return v.substring(1, end);
        }
        if (stripComment) {
            int hash = v.indexOf(" #");
            if (hash >= 0) {
                v = v.substring(0, hash).strip();
            }
        }
        return v;
    }

    /** Whether the key was set (in the file or on the command line). */
    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The raw settings, in order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        entries.forEach((k, e) -> m.put(k, e.value()));
        return m;
    }

    /** Where a key was set, or "default". */
    public String origin(String key) {
        Entry e = entries.get(key);
        return e == null ? "default" : e.origin();
    }

    public String getString(String key, String def) {
        Entry e = entries.get(key);
        return e == null ? def : e.value();
    }

    public int getInt(String key, String def) {
        String v = getString(key, def);
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException ex) {
            throw bad(key, v, "an integer");
        }
    }

    public long getLong(String key, String def) {
        String v = getString(key, def);
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException ex) {
            throw bad(key, v, "an integer");
        }
    }

    public double getDouble(String key, String def) {
        String v = getString(key, def);
        try {
            return Double.parseDouble(v.strip());
        } catch (NumberFormatException ex) {
            throw bad(key, v, "a number");
        }
    }

    public boolean getBoolean(String key, String def) {
        String v = getString(key, def).strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    /** A comma-separated list of integers; empty gives an empty list. */
    public List<Integer> getIntList(String key, String def) {
        List<Integer> out = new ArrayList<>();
        for (String s : getStringList(key, def)) {
            try {
                out.add(Integer.parseInt(s));
            } catch (NumberFormatException ex) {
                throw bad(key, getString(key, def), "a comma-separated list of integers");
            }
        }
        return List.copyOf(out);
    }

    /** A comma-separated list of numbers. */
    public double[] getDoubleList(String key, String def) {
        List<String> parts = getStringList(key, def);
        double[] out = new double[parts.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(parts.get(i));
            } catch (NumberFormatException ex) {
                throw bad(key, getString(key, def), "a comma-separated list of numbers");
            }
        }
        return out;
    }

    /** A comma-separated list of non-empty trimmed strings. */
    public List<String> getStringList(String key, String def) {
        String v = getString(key, def).strip();
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            String t = s.strip();
            if (t.isEmpty()) {
                throw bad(key, v, "a comma-separated list without empty items");
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    /** An error for a bad value of {@code key}, naming where it was set. */
    public ConfigException bad(String key, String value, String expected) {
        return new ConfigException(origin(key) + ": " + key + " = '" + value + "' is not " + expected);
    }

    /** An error for a key whose value is invalid, with a reason. */
    public ConfigException invalid(String key, String reason) {
        return new ConfigException(origin(key) + ": " + key + " = '" + getString(key, "") + "': " + reason);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
