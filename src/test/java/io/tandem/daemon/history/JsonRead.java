package io.tandem.daemon.history;

/**
 * The tests' JSON reader: the product's strict reader ({@link BoundedJson}, RFC 8259, nesting at most
 * {@value BoundedJson#MAX_DEPTH} levels), public for the tests of other packages. Objects come back as
 * {@link java.util.Map}, arrays as {@link java.util.List}, numbers as {@link Double}; anything else, or
 * anything after the value, is an {@link IllegalArgumentException}.
 */
public final class JsonRead {
    private JsonRead() {
    }

    public static Object parse(String text) {
        return BoundedJson.parse(text);
    }
}
