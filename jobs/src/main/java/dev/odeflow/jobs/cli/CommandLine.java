package dev.odeflow.jobs.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One subcommand's arguments: {@code --flag value} pairs, {@code key=value} overrides and plain positionals
 * (an argument with an '=' that is a path, see {@link #looksLikePath}, is a positional).
 *
 * @param positionals arguments that are neither flags nor overrides, in order
 * @param flags       flag name (without dashes) to value
 * @param overrides   key=value pairs in order (later ones win)
 */
public record CommandLine(List<String> positionals, Map<String, String> flags, Map<String, String> overrides) {

    public CommandLine {
        positionals = List.copyOf(positionals);
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** Parses {@code args}; only the flags in {@code known} are accepted, each needs a value. */
    public static CommandLine parse(String command, List<String> args, Set<String> known) {
        return parse(command, args, known, Set.of());
    }

    /**
     * Parses {@code args}; the flags in {@code known} need a value, those in {@code switches} take none (or
     * {@code --name=true|false}).
     */
    public static CommandLine parse(String command, List<String> args, Set<String> known, Set<String> switches) {
        List<String> pos = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!known.contains(name) && !switches.contains(name)) {
                    java.util.SortedSet<String> all = new java.util.TreeSet<>(known);
                    all.addAll(switches);
                    throw new UsageException(command + ": unknown option --" + name
                            + (all.isEmpty() ? "" : "; expected " + all.stream().map(k -> "--" + k).toList()));
                }
                if (switches.contains(name)) {
                    value = value == null ? "true" : value.trim().toLowerCase(java.util.Locale.ROOT);
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new UsageException(command + ": option --" + name + " takes no value (or true|false)");
                    }
                } else if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageException(command + ": option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (flags.put(name, value) != null) {
                    throw new UsageException(command + ": option --" + name + " given twice");
                }
            } else if (a.indexOf('=') > 0 && !looksLikePath(a)) {
                int eq = a.indexOf('=');
                overrides.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
            } else {
                pos.add(a);
            }
        }
        return new CommandLine(pos, flags, overrides);
    }

    /**
     * Whether an argument with an '=' is a path rather than a {@code key=value} override: it exists as a file,
     * the part before the '=' has a slash ({@code data/date=2026-01-01/job.conf}), or it ends in {@code .conf}
     * ({@code date=2026-01-01/job.conf}, named as a job file so that a missing one is reported as such).
     */
    static boolean looksLikePath(String arg) {
        String key = arg.substring(0, arg.indexOf('='));
        if (key.contains("/") || key.contains(java.io.File.separator) || arg.endsWith(".conf")) {
            return true;
        }
        try {
            return java.nio.file.Files.isRegularFile(java.nio.file.Path.of(arg));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** A flag that must be present. */
    /** Whether the switch {@code flag} was given (and not as {@code =false}). */
    public boolean switchSet(String flag) {
        return "true".equals(flags.get(flag));
    }

    public String required(String command, String flag) {
        String v = flags.get(flag);
        if (v == null || v.isBlank()) {
            throw new UsageException(command + ": missing required option --" + flag);
        }
        return v;
    }

    /** A flag that may be absent. */
    public String optional(String flag, String fallback) {
        return flags.getOrDefault(flag, fallback);
    }

    /** A positive integer flag. */
    public int positiveInt(String command, String flag, String fallback) {
        return atLeast(command, flag, fallback, 1, "a positive integer");
    }

    /** An integer flag >= 0. */
    public int nonNegativeInt(String command, String flag, String fallback) {
        return atLeast(command, flag, fallback, 0, "an integer >= 0");
    }

    /** The {@code --seed} flag, 0 when absent. */
    public long seed(String command) {
        String v = flags.getOrDefault("seed", "0");
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --seed must be an integer, got '" + v + "'");
        }
    }

    private int atLeast(String command, String flag, String fallback, int min, String what) {
        String v = flags.getOrDefault(flag, fallback);
        if (v == null) {
            throw new UsageException(command + ": missing required option --" + flag);
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new UsageException(command + ": --" + flag + " must be " + what + ", got '" + v + "'");
    }

    /** Fails unless there are no positionals. */
    public void noPositionals(String command) {
        if (!positionals.isEmpty()) {
            throw new UsageException(command + ": unexpected argument(s) " + positionals);
        }
    }

    /** Fails if any override is given. */
    public void noOverrides(String command) {
        if (!overrides.isEmpty()) {
            throw new UsageException(command + ": unexpected key=value argument(s) " + overrides.keySet());
        }
    }
}
