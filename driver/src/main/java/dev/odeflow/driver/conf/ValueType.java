package dev.odeflow.driver.conf;

/**
 * The type of a setting's value: how a job file's text is read, how {@code model.json} writes it (a JSON string,
 * number, boolean or array) and which Spark ML param type carries it.
 */
public enum ValueType {
    /** Free text or one of a set of names. */
    TEXT("a string"),
    /** A 32-bit integer. */
    INTEGER("an integer"),
    /** A 64-bit integer. */
    LONG("an integer"),
    /** A double. */
    NUMBER("a number"),
    /** true or false (job files also accept yes/no, 1/0). */
    BOOLEAN("true or false"),
    /** A comma-separated list (an array in JSON). */
    LIST("a list");

    private final String expected;

    ValueType(String expected) {
        this.expected = expected;
    }

    /** What a value of this type is, for error messages: "an integer", "a number", ... */
    public String expected() {
        return expected;
    }
}
