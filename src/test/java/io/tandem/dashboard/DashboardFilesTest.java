package io.tandem.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files as the daemon's jar holds them (io/tandem/dashboard/): every file the page
 * names is there, nothing comes from elsewhere (no CDN, no font service, no inline script: the API's
 * Content-Security-Policy would block it), and no script turns text into HTML (values from the network
 * go into the page with textContent only). The page itself runs in a real browser in DashboardLabTest.
 */
class DashboardFilesTest {
    private static final String ROOT = "io/tandem/dashboard/";
    private static final Pattern LOCAL_REF = Pattern.compile("(?:src|href)=\"([^\"]*)\"");

    private static String file(String name) throws IOException {
        try (InputStream in = DashboardFilesTest.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            assertThat(in).as(ROOT + name + " in the jar").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> referenced() throws IOException {
        List<String> names = new ArrayList<>();
        Matcher m = LOCAL_REF.matcher(file("index.html"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void every_file_the_page_names_is_served_by_the_daemon_and_nothing_comes_from_elsewhere() throws IOException {
        List<String> refs = referenced();
        assertThat(refs).contains("ui/dashboard.css", "ui/dom.js", "ui/api.js", "ui/render.js", "ui/dashboard.js");
        for (String ref : refs) {
            assertThat(ref).as("a relative path under ui/").startsWith("ui/").doesNotContain("//").doesNotContain("..");
            String text = file(ref.substring("ui/".length()));
            assertThat(text).as(ref).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/").doesNotContain("@import");
        }
        String html = file("index.html");
        assertThat(html).as("no inline script or handler").doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=");
        assertThat(html).contains("name=\"viewport\"");
    }

    @Test
    void no_script_turns_text_into_html() throws IOException {
        for (String ref : referenced()) {
            if (ref.endsWith(".js")) {
                assertThat(file(ref.substring("ui/".length()))).as(ref)
                        .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                        .doesNotContain("document.write").doesNotContainPattern("\\beval\\(").doesNotContain("new Function")
                        .doesNotContain("setTimeout('").doesNotContain("setInterval('");
            }
        }
    }

    @Test
    void the_token_is_kept_in_session_storage_only_and_sent_as_a_header() throws IOException {
        String api = file("api.js");
        assertThat(api).contains("sessionStorage").doesNotContain("localStorage").doesNotContain("document.cookie");
        assertThat(api).contains("'Bearer ' + token");
        for (String ref : referenced()) {
            if (ref.endsWith(".js")) {
                assertThat(file(ref.substring("ui/".length()))).as(ref + ": never in a URL").doesNotContainPattern("[?&](access_)?token=");
            }
        }
    }
}
