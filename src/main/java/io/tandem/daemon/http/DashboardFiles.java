package io.tandem.daemon.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web dashboard's files, served from the classpath ({@code io/tandem/dashboard/}, in the daemon's
 * jar): {@code /} is {@code index.html}, {@code /ui/NAME} the file NAME (letters, digits, {@code . _ -},
 * at most one sub-directory, no name starting with a dot: no way out of the directory). Content type
 * by extension; 404 for anything else.
 */
final class DashboardFiles {
    static final String ROOT = "io/tandem/dashboard/";
    /** A dashboard file is small; a bigger one is not served. */
    static final int MAX_FILE = 2 << 20;
    /** A file name with an extension (a directory has none: never listed), in at most one sub-directory. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9_-]{0,99}/)?[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\\.[A-Za-z0-9]{1,12}");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("woff2", "font/woff2"), Map.entry("map", "application/json"));
    /**
     * Everything from the daemon itself (no CDN, no inline script); inline styles are allowed.
     */
    static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'";

    private final ClassLoader loader;

    DashboardFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The answer for {@code /} ({@code name} "index.html") or {@code /ui/NAME}. */
    ApiResponse file(String name) {
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            return ApiResponse.notFound();
        }
        java.net.URL url = loader.getResource(ROOT + name);
        if (url == null || isDirectory(url)) {
            return ApiResponse.notFound();
        }
        try (InputStream in = url.openStream()) {
            if (in == null) {
                return ApiResponse.notFound();
            }
            byte[] body = in.readNBytes(MAX_FILE + 1);
            if (body.length > MAX_FILE) {
                return ApiResponse.notFound();
            }
            return new ApiResponse(200, type(name), body, Map.of("Cache-Control", "no-cache", "Content-Security-Policy", POLICY));
        } catch (IOException e) {
            return ApiResponse.notFound();
        }
    }

    private static boolean isDirectory(java.net.URL url) {
        try {
            return url.getProtocol().equals("file") && java.nio.file.Files.isDirectory(java.nio.file.Path.of(url.toURI()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return true;
        }
    }

    static String type(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
