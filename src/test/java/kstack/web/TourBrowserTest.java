package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A tour in real headless Chromium: picking the syscall tour shows its first stop; next runs the
 * later stops, each outlining the region it points at in the page's own drawing (pt_regs with its
 * fields named at stop 4); prev goes back; Chinese shows the Chinese text. The stops drive the
 * page's view: its step, its drawn task, its rsp arrow moving from the user stack to the kernel
 * stack as the stop's text says; going back a stop restores the picture, and the link reopens it.
 */
class TourBrowserTest extends BrowserPageTest {
  @Override
  List<String> scenario() {
    return List.of("boot");
  }

  private WebElement tour() {
    return driver.findElement(By.id("tour"));
  }

  /** Opens the page and picks the tour from its list. */
  private void startTour(String name) {
    driver.get(server.url());
    waitUpTo().until(d -> "true".equals(tour().getDomAttribute("data-ready")));
    new Select(driver.findElement(By.id("tour-pick"))).selectByValue(name);
  }

  /** Waits until the tour shows stop n (no request in flight) and returns the outlined element. */
  private WebElement atStop(int n) {
    waitUpTo().until(d -> String.valueOf(n).equals(
        tour().getDomAttribute("data-stop")) && tour().getDomAttribute("data-busy") == null);
    List<WebElement> looked = driver.findElements(By.cssSelector("#picture .tour-look"));
    assertThat(looked).as("the outlined region at stop %d", n).hasSize(1);
    assertThat(looked.get(0).getDomAttribute("id")).isEqualTo(tour().getDomAttribute("data-look"));
    return looked.get(0);
  }

  @Test
  void aTourStepsThroughItsStopsOutliningEachRegionAndGoesBack() {
    startTour("syscall");
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
    waitUpTo().until(d -> d.findElement(
        By.id("tour-text")).getText().contains("三条指令之后"));
  }

  /** Where the main drawing's rsp arrow points (the id of the stack it ends on) and its address. */
  private String rspArrow() {
    return (String) ((JavascriptExecutor) driver).executeScript("const a = document"
        + ".querySelector('#picture #arrow-cpu0-rsp'); return a ? a.getAttribute('data-to') + ' '"
        + " + a.getAttribute('data-address') : null;");
  }

  @Test
  void theStopsDriveThePagesViewAndGoingBackAStopRestoresItsPicture() {
    startTour("syscall");
    atStop(1);
    driver.findElement(By.id("tour-next")).click();
    atStop(2);
    String stop2 = step();
    String arrow2 = rspArrow();
    assertThat(arrow2).startsWith("user-3 0x7fff");
    assertThat(driver.findElement(By.id("drawing-note")).getText()).isEqualTo("drawing pid 3 (sh)");
    assertThat(driver.findElement(By.id("profile")).getText()).startsWith("x86_64 4.16");
    assertThat(driver.findElement(By.cssSelector("#where")).getText()).contains("entry_SYSCALL_64");
    String link = driver.findElement(By.id("link")).getDomAttribute("href");
    assertThat(link).contains("tour=syscall").contains("stop=2");

    driver.findElement(By.id("tour-next")).click();
    atStop(3);
    String top = driver.findElement(By.cssSelector("#picture #col-task-3"))
        .getDomAttribute("data-high");
    assertThat(rspArrow()).isEqualTo("task-3 " + top);
    assertThat(step()).isNotEqualTo(stop2);

    driver.findElement(By.id("tour-prev")).click();
    atStop(2);
    assertThat(rspArrow()).isEqualTo(arrow2);
    assertThat(step()).isEqualTo(stop2);

    driver.get("about:blank");
    driver.get(link);
    atStop(2);
    assertThat(rspArrow()).isEqualTo(arrow2);
    assertThat(step()).isEqualTo(stop2);
  }
}
