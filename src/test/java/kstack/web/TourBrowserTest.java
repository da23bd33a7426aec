package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kstack.catalog.Profiles;
import kstack.lang.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A tour in real headless Chromium: picking the syscall tour shows its first stop; next runs the
 * later stops, each outlining the region it points at in the drawing (pt_regs with its fields
 * named at stop 4); prev goes back; Chinese shows the Chinese text.
 */
class TourBrowserTest {
  @TempDir
  Path profileDir;

  private WebServer server;
  private WebDriver driver;

  @BeforeEach
  void open() throws Exception {
    server = TestServers.start(Profiles.x86_64_6_19(), List.of("boot"));
    driver = HeadlessChromium.start(profileDir);
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.quit();
    }
    server.stop();
  }

  private WebElement tour() {
    return driver.findElement(By.id("tour"));
  }

  /** Waits until the tour shows stop n (no request in flight) and returns the outlined element. */
  private WebElement atStop(int n) {
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> String.valueOf(n).equals(
        tour().getDomAttribute("data-stop")) && tour().getDomAttribute("data-busy") == null);
    List<WebElement> looked = driver.findElements(By.cssSelector("#tour-picture .tour-look"));
    assertThat(looked).as("the outlined region at stop %d", n).hasSize(1);
    assertThat(looked.get(0).getDomAttribute("id")).isEqualTo(tour().getDomAttribute("data-look"));
    return looked.get(0);
  }

  @Test
  void aTourStepsThroughItsStopsOutliningEachRegionAndGoesBack() {
    driver.get(server.url());
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> "true".equals(
        tour().getDomAttribute("data-ready")));
    new Select(driver.findElement(By.id("tour-pick"))).selectByValue("syscall");
    WebElement first = atStop(1);
    assertThat(first.getDomAttribute("id")).startsWith("col-user-3");
    assertThat(driver.findElement(By.id("tour-where")).getText()).isEqualTo(
        "1 / 5 · x86_64 4.16 (4.16.13)");
    assertThat(driver.findElement(By.id("tour-prev")).isEnabled()).isFalse();
    for (int n = 2; n <= 4; n++) {
      driver.findElement(By.id("tour-next")).click();
      atStop(n);
    }
    WebElement ptRegs = atStop(4);
    assertThat(ptRegs.getDomAttribute("class")).contains("region-pt_regs");
    List<String> fields = ptRegs.findElements(By.cssSelector(".field")).stream()
        .map(WebElement::getText).toList();
    assertThat(fields).hasSize(21).contains("pt_regs->r14", "pt_regs->r12")
        .anyMatch(f -> f.startsWith("pt_regs->orig_ax (syscall number"));
    assertThat(driver.findElement(By.id("tour-output")).getText())
        .contains("(kstack) p/x task_pt_regs(current)->sp").contains("0x7fffffffef90");
    driver.findElement(By.id("tour-prev")).click();
    assertThat(atStop(3).getDomAttribute("id")).startsWith("col-task-3");
    new Select(driver.findElement(By.id("tour-lang"))).selectByValue("zh");
    atStop(3);
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.findElement(
        By.id("tour-text")).getText().contains("三条指令之后"));
  }
}
