package io.tandem.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard (src/main/resources/io/tandem/dashboard) as a test sees it in a real browser. */
public final class DashboardPage {
    private final RemoteWebDriver driver;

    public DashboardPage(RemoteWebDriver driver) {
        this.driver = driver;
    }

    public RemoteWebDriver driver() {
        return driver;
    }

    public WebDriverWait waiting(Duration timeout) {
        // The page re-renders its lists on every event: an element found a moment ago may be gone.
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The dialog that asks for the token is open. */
    public boolean dialogOpen() {
        return Boolean.TRUE.equals(driver.executeScript("const d = document.getElementById('confirm'); return d !== null && d.open"));
    }

    /** Types the token into the open dialog (replacing what it holds) and sends it. */
    public void answerDialog(String token) {
        WebElement field = driver.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        driver.findElement(By.id("confirm-send")).click();
    }

    /** The token the open dialog offers (the one kept in sessionStorage). */
    public String dialogToken() {
        return driver.findElement(By.id("token")).getDomProperty("value");
    }

    /** The connection badge: live, connecting, disconnected, unauthorized. */
    public String connection() {
        return driver.findElement(By.id("connection")).getDomAttribute("data-state");
    }

    /** Node name → its status as the node cards show them. */
    @SuppressWarnings("unchecked")
    public Map<String, String> nodes() {
        return (Map<String, String>) driver.executeScript(
                "const m = {}; for (const c of document.querySelectorAll('#nodes article[data-node]')) m[c.dataset.node] = c.dataset.status; return m;");
    }

    /** The owner the group card shows ("" for none), or null when there is no card for it. */
    public String owner(String group) {
        return (String) driver.executeScript("for (const c of document.querySelectorAll('#groups article[data-group]'))"
                + " if (c.dataset.group === arguments[0]) return c.dataset.owner; return null;", group);
    }

    /** The heartbeat ages the link rows show, e.g. {@code 0.3 s ago}. */
    public List<String> linkAges() {
        return strings("return Array.from(document.querySelectorAll('#nodes .age[data-age-ms]'), e => e.innerText)");
    }

    /** The timeline's entries of a kind about a subject, newest first, as their text. */
    public List<String> timeline(String kind, String subject) {
        return strings("return Array.from(document.querySelectorAll('#timeline li'))"
                + ".filter(li => li.dataset.kind === arguments[0] && li.dataset.subject === arguments[1]).map(li => li.innerText)", kind, subject);
    }

    public String why() {
        return text("why");
    }

    public String actionResult() {
        return text("action-result");
    }

    public void click(String id) {
        waiting(Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    /** Sizes the window so that the page's viewport is {@code width}×{@code height} CSS pixels. */
    public void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        long iw = number("return window.innerWidth");
        long ih = number("return window.innerHeight");
        driver.manage().window().setSize(new Dimension((int) (2L * width - iw), (int) (2L * height - ih)));
    }

    /** Whether the page fits the viewport's width (no sideways scrolling). */
    public boolean fitsWidth() {
        return number("return document.documentElement.scrollWidth") <= number("return window.innerWidth");
    }

    /** A screenshot of the whole page at {@code width} CSS pixels to {@code file}; the viewport is {@code width}×{@code height} again after. */
    public Path screenshot(Path file, int width, int height) {
        long full = Math.min(6000, Math.max(height, number("return document.documentElement.scrollHeight")));
        viewport(width, (int) full);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            viewport(width, height);
        }
        return file;
    }

    /** A screenshot of what the viewport shows after scrolling the element {@code id} to its top (null: the page's top). */
    public Path viewportShot(Path file, String id) {
        driver.executeScript(id == null ? "window.scrollTo(0, 0)" : "document.getElementById(arguments[0]).scrollIntoView()", id);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Reads texts in one script run: the page replaces its lists on every event, so reading elements one
     * by one (WebElement.getText) can meet an element that was replaced in between.
     */
    @SuppressWarnings("unchecked")
    private List<String> strings(String script, Object... args) {
        return List.copyOf((List<String>) driver.executeScript(script, args));
    }

    private String text(String id) {
        Object text = driver.executeScript("const e = document.getElementById(arguments[0]); return e === null ? '' : e.innerText", id);
        return text == null ? "" : text.toString();
    }

    private long number(String script) {
        return ((Number) ((JavascriptExecutor) driver).executeScript(script)).longValue();
    }
}
