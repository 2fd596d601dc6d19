package io.tandem.lab;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * A real browser inside a lab host: Debian's {@code chromedriver} started in the host (so the
 * {@code chromium} it starts is there too, with the host's network, and everything the page loads
 * travels inside the lab), driven with Selenium's {@link RemoteWebDriver} through a
 * {@link NamespaceTunnel}. Headless, {@code --no-sandbox} (the tests run as root). No Selenium Manager:
 * the remote driver never looks for or downloads a driver.
 */
public final class LabBrowser implements AutoCloseable {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final int DRIVER_PORT = 9515;

    private final LabProcess driverProcess;
    private final NamespaceTunnel tunnel;
    private final RemoteWebDriver driver;

    /** Why a browser test cannot run here, or empty. */
    public static Optional<String> unavailable() {
        Optional<String> lab = Lab.unavailable();
        if (lab.isPresent()) {
            return lab;
        }
        for (String tool : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(tool))) {
                return Optional.of(tool + " is missing (Debian packages chromium and chromium-driver)");
            }
        }
        return Optional.empty();
    }

    /** Starts chromedriver in {@code host} and a headless chromium with a window of {@code width}×{@code height}. */
    public LabBrowser(Lab lab, String host, int width, int height) {
        driverProcess = lab.spawn(host, CHROMEDRIVER, "--port=" + DRIVER_PORT, "--allowed-ips=127.0.0.1");
        NamespaceTunnel t = null;
        RemoteWebDriver d = null;
        try {
            driverProcess.awaitLine(Duration.ofSeconds(30), l -> l.contains("started successfully"), "chromedriver on " + host);
            t = new NamespaceTunnel(lab.initPid(host), DRIVER_PORT);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=" + width + "," + height);
            options.setAcceptInsecureCerts(true); // the lab daemon's self-signed certificate
            d = new RemoteWebDriver(URI.create("http://127.0.0.1:" + t.port()).toURL(), options);
            d.manage().window().setSize(new Dimension(width, height));
        } catch (RuntimeException | java.net.MalformedURLException e) {
            if (t != null) {
                t.close();
            }
            driverProcess.close();
            throw new IllegalStateException("cannot start the browser in " + host + ": " + e + "\nchromedriver said:\n"
                    + driverProcess.output(), e);
        }
        tunnel = t;
        driver = d;
    }

    public RemoteWebDriver driver() {
        return driver;
    }

    /** What chromedriver printed (its log). */
    public String driverLog() {
        return driverProcess.output();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // the browser is killed with chromedriver below
        }
        tunnel.close();
        driverProcess.close();
    }
}
