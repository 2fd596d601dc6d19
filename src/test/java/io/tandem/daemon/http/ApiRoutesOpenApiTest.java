package io.tandem.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml describes exactly the routes the server registers: none missing, none extra. */
class ApiRoutesOpenApiTest {
    private static final Pattern PATH = Pattern.compile("^  (/\\S*):\\s*$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|put|delete|patch|head|options):\\s*$");

    @Test
    void every_registered_route_is_in_the_openapi_file_and_every_described_path_is_registered() throws Exception {
        Set<String> described = new TreeSet<>();
        String path = null;
        boolean inPaths = false;
        for (String line : Files.readAllLines(Path.of("docs/openapi.yaml"))) {
            if (!line.startsWith(" ") && !line.isBlank()) {
                inPaths = line.startsWith("paths:");
                continue;
            }
            if (!inPaths) {
                continue;
            }
            Matcher p = PATH.matcher(line);
            Matcher m = METHOD.matcher(line);
            if (p.matches()) {
                path = p.group(1);
            } else if (m.matches() && path != null) {
                described.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        Set<String> registered = new TreeSet<>();
        new ApiRoutes(new ApiCalls((who, words) -> null), new DashboardFiles(getClass().getClassLoader())).all()
                .forEach(r -> registered.add(r.method() + " " + r.path()));
        assertThat(registered).hasSizeGreaterThanOrEqualTo(9);
        assertThat(described).isEqualTo(registered);
    }
}
