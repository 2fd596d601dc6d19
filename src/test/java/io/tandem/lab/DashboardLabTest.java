package io.tandem.lab;

import static io.tandem.lab.TandemNodes.fetch;
import static io.tandem.lab.TandemNodes.holds;
import static io.tandem.lab.TandemNodes.tandem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web dashboard in a real browser (issue 18): Debian's chromium, headless, driven by Selenium through
 * chromedriver, both running inside node1 (its own network and PID namespace), where node1's HTTP API
 * listens on 127.0.0.1:8694 (the page and every read without a token on loopback, as through an ssh
 * tunnel; the token, in a mode-600 file, for the actions). Two Tandem nodes, the real IPaddr script and
 * apache2; node1 is the group's home node. In the page: both nodes and the group's owner shown; standby
 * pressed, the token typed into the page, moves the group to node2 (checked in the lab: node2 holds the VIP and serves the page); node2 powered
 * off, and the timeline shows its death with its cause at most 2 s after node1 recorded it; node1's
 * daemon killed, and the page says it is disconnected, then live again once the daemon is back.
 * Screenshots (desktop and phone size) go to target/dashboard/.
 */
class DashboardLabTest {
    private static final String N1 = "node1";
    private static final String N2 = "node2";
    private static final String VIP = "192.0.2.1";
    private static final String GROUP = "IPaddr::192.0.2.1/24/eth0";
    private static final String TOKEN = "dsh-lab-token-2b7f0c9e41d8a6";
    private static final String URL = "http://127.0.0.1:8694/";
    private static final String HA_CF = "logfile /var/log/ha-log\nkeepalive 500ms\ndeadtime 3\nwarntime 2\ninitdead 6\n"
            + "udpport 694\nbcast eth1\nauto_failback off\nnode node1\nnode node2\n";
    private static final Path SHOTS = Path.of("target", "dashboard");
    private static Lab lab;

    @BeforeAll
    static void up() throws IOException {
        assumeTrue(LabBrowser.unavailable().isEmpty(), () -> "skipped: " + LabBrowser.unavailable().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/etc/init.d/apache2")), "skipped: apache2 is not installed");
        assumeTrue(Files.isExecutable(Path.of("/etc/ha.d/resource.d/IPaddr")), "skipped: heartbeat's IPaddr script is not installed");
        lab = Lab.start("dsh", N1, N2);
        for (String n : List.of(N1, N2)) {
            TandemNodes.configure(lab, n, HA_CF, "auth 1\n1 md5 dashboard-lab-key\n", "node1 " + GROUP + " apache2\n");
            TandemNodes.installApache(lab, n);
        }
        Path token = lab.path(N1, "/etc/ha.d/tandem-api.token");
        Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(token, TOKEN + "\n");
        Files.writeString(lab.path(N1, "/etc/ha.d/tandem.cf"), "http_listen 127.0.0.1:8694\nhttp_token_file /etc/ha.d/tandem-api.token\n");
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void the_page_shows_the_cluster_moves_the_group_on_standby_and_explains_a_crash() throws Exception {
        long began = System.nanoTime();
        try {
            List.of(N1, N2).parallelStream().forEach(n -> ok(tandem(lab, n, "start")));
            Poll.untilOrElse(Duration.ofSeconds(90), () -> fetch(lab, VIP).contains(N1), () -> "node1 never served\n" + logs());
            TandemNodes.awaitSettled(lab, N1, N2, VIP, DashboardLabTest::logs);
            try (LabBrowser browser = new LabBrowser(lab, N1, 1280, 900)) {
                DashboardPage page = new DashboardPage(browser.driver());
                try {
                    scenario(page);
                } catch (RuntimeException | AssertionError e) {
                    String source = browser.driver().getPageSource();
                    System.out.println("=== the page at " + browser.driver().getCurrentUrl() + "\n"
                            + source.substring(0, Math.min(4000, source.length())) + "\n=== curl " + URL + " on node1\n"
                            + lab.exec(N1, Duration.ofSeconds(10), "curl", "-s", "-m", "5", "-i", URL)
                            + "\n=== chromedriver\n" + browser.driverLog());
                    try {
                        page.screenshot(SHOTS.resolve("failed.png"), 1280, 900);
                    } catch (RuntimeException shot) {
                        e.addSuppressed(shot);
                    }
                    throw e;
                }
            }
        } finally {
            System.out.printf("dsh: test ran %d s%n", (System.nanoTime() - began) / 1_000_000_000L);
            System.out.println("=== DashboardLabTest logs\n" + logs());
        }
    }

    private void scenario(DashboardPage page) throws Exception {
        page.viewport(1280, 900);
        page.driver().get(URL);
        page.waiting(Duration.ofSeconds(30)).until(d -> "live".equals(page.connection())
                && "active".equals(page.nodes().get(N1)) && "active".equals(page.nodes().get(N2)) && N1.equals(page.owner(GROUP)));
        page.waiting(Duration.ofSeconds(10)).until(d -> page.linkAges().stream().anyMatch(a -> a.endsWith(" s ago")));
        System.out.println("dsh: link ages shown: " + page.linkAges());
        page.screenshot(SHOTS.resolve("1-desktop-both-nodes.png"), 1280, 900);

        // On loopback the page reads without the token; pressing standby asks for it.
        assertThat(page.dialogOpen()).isFalse();
        page.click("btn-standby");
        page.waiting(Duration.ofSeconds(10)).until(d -> page.dialogOpen());
        assertThat(page.dialogToken()).isEmpty();
        page.answerDialog(TOKEN);
        page.waiting(Duration.ofSeconds(30)).until(d -> page.actionResult().contains("HTTP "));
        assertThat(page.actionResult()).as("the API's answer to the standby").contains("HTTP 200");
        Poll.untilOrElse(Duration.ofSeconds(60), () -> holds(lab, N2, VIP) && !holds(lab, N1, VIP) && fetch(lab, VIP).contains(N2),
                () -> "the group did not move to node2\n" + logs());
        page.waiting(Duration.ofSeconds(30)).until(d -> N2.equals(page.owner(GROUP)));
        assertThat(page.timeline("operator", "local")).as("the standby in the timeline").anyMatch(t -> t.contains("hb_standby"));
        page.screenshot(SHOTS.resolve("2-desktop-after-standby.png"), 1280, 900);

        // node2, now the owner, loses its power; node1 declares it dead and takes over.
        int logBefore = lab.haLog(N1).length();
        lab.powerOff(N2);
        Path events = lab.path(N1, "/var/lib/heartbeat/tandem-events");
        Poll.untilOrElse(Duration.ofSeconds(60), () -> read(events).contains("\tnode-dead\tnode2\t"),
                () -> "node1 never recorded node2's death\n" + logs());
        long declared = System.nanoTime();
        page.waiting(Duration.ofSeconds(2)).until(d -> page.timeline("node-dead", N2).stream().anyMatch(t -> t.contains("deadtime")));
        long shownMs = (System.nanoTime() - declared) / 1_000_000;
        String death = page.timeline("node-dead", N2).get(0);
        System.out.println("dsh: node2's death on the page " + shownMs + " ms after node1 recorded it: " + death);
        assertThat(death).contains("silent").contains("deadtime");
        Poll.untilOrElse(Duration.ofSeconds(60), () -> holds(lab, N1, VIP) && fetch(lab, VIP).contains(N1),
                () -> "node1 did not take over\n" + logs());
        page.waiting(Duration.ofSeconds(30)).until(d -> N1.equals(page.owner(GROUP)) && page.why().contains("node2 declared dead")
                && page.why().contains("group running"));
        String why = tandem(lab, N1, "why").out();
        System.out.println("=== tandem why on node1 after the crash\n" + why + "=== the page's why\n" + page.why()
                + "\n=== node1's ha-log since the power-off\n" + lab.haLog(N1).substring(logBefore));
        assertThat(why).contains("node2 declared dead");
        page.screenshot(SHOTS.resolve("3-desktop-after-crash.png"), 1280, 900);
        page.viewport(390, 844);
        assertThat(page.fitsWidth()).as("no sideways scrolling at 390 px").isTrue();
        page.viewportShot(SHOTS.resolve("4-phone-after-crash.png"), null);
        page.viewportShot(SHOTS.resolve("5-phone-why.png"), "h-why");

        // The daemon serving the page dies: the page says so, and follows it again once it is back.
        ProcessHandle.of(TandemNodes.daemonPid(lab, N1)).ifPresent(ProcessHandle::destroyForcibly);
        page.waiting(Duration.ofSeconds(30)).until(d -> "disconnected".equals(page.connection()));
        page.viewportShot(SHOTS.resolve("6-phone-disconnected.png"), null);
        ok(tandem(lab, N1, "start"));
        page.waiting(Duration.ofSeconds(60)).until(d -> "live".equals(page.connection()) && page.nodes().containsKey(N2));
        page.viewport(1280, 900);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void ok(ExecResult r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static String logs() {
        return "--- node1 ha-log:\n" + lab.haLog(N1) + "--- node2 ha-log:\n" + lab.haLog(N2);
    }
}
