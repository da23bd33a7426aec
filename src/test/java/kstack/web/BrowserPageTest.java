package kstack.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the page's tests in headless Chromium share: a server on x86_64 6.19 whose own scenario is
 * {@link #scenario()}, a fresh browser per test, and the ways a user reaches the page (load it and
 * wait until it is ready, press a key on the page, read the step shown).
 */
abstract class BrowserPageTest {
  @TempDir
  Path profileDir;

  WebServer server;
  WebDriver driver;

  /** The server's own scenario, line by line. */
  abstract List<String> scenario();

  @BeforeEach
  void open() throws Exception {
    server = TestServers.start(Profiles.x86_64_6_19(), scenario());
    driver = HeadlessChromium.start(profileDir);
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.quit();
    }
    server.stop();
  }

  WebDriverWait waitUpTo() {
    return new WebDriverWait(driver, Duration.ofSeconds(60));
  }

  /** Opens url and waits until the page has drawn its first view. */
  void load(String url) {
    driver.get(url);
    waitUpTo().until(d -> "true".equals(d.findElement(By.tagName("body"))
        .getDomAttribute("data-ready")));
  }

  /** The step the page shows ("step N", or "step N | step M" side by side). */
  String step() {
    return driver.findElement(By.id("step")).getText();
  }

  /** A key pressed on the page itself: Escape first leaves a focused field, as a user would. */
  void key(CharSequence k) {
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    driver.switchTo().activeElement().sendKeys(k);
  }
}
