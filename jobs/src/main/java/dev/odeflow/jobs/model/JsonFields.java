package dev.odeflow.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Field access with errors that name the file and the field. */
record JsonFields(String source) {

    JsonNode field(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(source + ": missing field '" + name + "'");
        }
        return v;
    }

    JsonNode object(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = field(o, name);
        if (!v.isObject()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be an object");
        }
        return v;
    }

    JsonNode array(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = field(o, name);
        if (!v.isArray()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be an array");
        }
        return v;
    }

    String text(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = field(o, name);
        if (!v.isTextual()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be a string");
        }
        return v.asText();
    }

    double number(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = field(o, name);
        if (!v.isNumber()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be a number");
        }
        return v.asDouble();
    }

    int integer(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = field(o, name);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be an integer between "
                    + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + v);
        }
        return v.asInt();
    }

    /** An optional integer field of long range; a fraction or a larger number is an error, not truncated. */
    long optionalLong(JsonNode o, String name, long absent) throws ModelFormatException {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be an integer, got " + v);
        }
        return v.asLong();
    }

    boolean bool(JsonNode o, String name) throws ModelFormatException {
        JsonNode v = field(o, name);
        if (!v.isBoolean()) {
            throw new ModelFormatException(source + ": field '" + name + "' must be true or false");
        }
        return v.asBoolean();
    }

    int[] ints(JsonNode o, String name) throws ModelFormatException {
        JsonNode a = array(o, name);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            if (!a.get(i).isIntegralNumber() || !a.get(i).canConvertToInt()) {
                throw new ModelFormatException(source + ": field '" + name + "' must hold integers between "
                        + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + ", got " + a.get(i));
            }
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    double[] doubles(JsonNode o, String name) throws ModelFormatException {
        JsonNode a = array(o, name);
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new ModelFormatException(source + ": field '" + name + "' must hold numbers");
            }
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
