package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/**
 * What the page's drawing shows, in real headless Chromium, driven from the keyboard: the selected
 * CPU's current task by default and every stack one key away; a picked pid that has no task at the
 * step scrubbed to draws the current task with a note instead of an error, and comes back with its
 * task; fit, zoom and 1:1 kept in the link; the drawing scrolls to the stack pointer after a step;
 * two tabs keep their own machines, and a closed tab's machine is released. Assertions read the
 * drawing's ids, classes and data attributes, not its coordinates.
 */
class WebViewBrowserTest extends BrowserPageTest {
  @Override
  List<String> scenario() {
    return List.of("boot", "spawn sh", "break vfs_write", "syscall write(1, \"x\")");
  }

  /** The task columns drawn in the main drawing, by id (read at once: the page redraws it). */
  @SuppressWarnings("unchecked")
  private List<String> taskColumns() {
    return (List<String>) js("return [...document.querySelectorAll("
        + "\"#picture g[id^='col-task-']\")].map((e) => e.id);");
  }

  private String note() {
    return driver.findElement(By.id("drawing-note")).getText();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @Test
  void theCurrentTaskIsDrawnByDefaultAllStacksOneKeyAwayAndAPickedPidFallsBackWhereItHasNoTask() {
    load(server.url());
    assertThat(taskColumns()).containsExactly("col-task-3");
    assertThat(note()).isEqualTo("drawing pid 3 (sh), cpu0's current task");
    assertThat(driver.findElement(By.id("show-current")).getDomAttribute("aria-pressed"))
        .isEqualTo("true");

    key("a");
    waitUpTo().until(d -> taskColumns().contains("col-task-1"));
    assertThat(taskColumns()).contains("col-task-0", "col-task-1", "col-task-2", "col-task-3");
    assertThat(driver.getCurrentUrl()).contains("pid=all");
    assertThat(driver.findElement(By.id("show-all")).getDomAttribute("aria-pressed"))
        .isEqualTo("true");
    key("a");
    waitUpTo().until(d -> taskColumns().equals(List.of("col-task-3")));

    key("p");
    driver.switchTo().activeElement().sendKeys("3", Keys.ENTER);
    waitUpTo().until(d -> d.getCurrentUrl().contains("pid=3"));
    waitUpTo().until(d -> note().equals("drawing pid 3 (sh)"));
    key("g");
    driver.switchTo().activeElement().sendKeys(Keys.HOME);
    waitUpTo().until(d -> step().equals("step 0"));
    waitUpTo().until(d -> note().startsWith("no task with pid 3 at step 0"));
    assertThat(note()).isEqualTo("no task with pid 3 at step 0: drawing pid 0 (swapper), cpu0's "
        + "current task");
    assertThat(driver.findElement(By.id("drawing-note")).getDomAttribute("class"))
        .contains("fallback");
    assertThat(driver.findElement(By.id("message")).getText()).isEmpty();
    assertThat(taskColumns()).containsExactly("col-task-0");
    assertThat(driver.getCurrentUrl()).contains("pid=3");

    driver.switchTo().activeElement().sendKeys(Keys.END);
    waitUpTo().until(d -> taskColumns().equals(List.of("col-task-3")));
    assertThat(note()).isEqualTo("drawing pid 3 (sh)");
    assertThat(driver.findElement(By.id("drawing-note")).getDomAttribute("class"))
        .doesNotContain("fallback");
  }

  /** The main drawing's zoom as the page set it (percent of the SVG's own size). */
  private int zoom() {
    String z = driver.findElement(By.cssSelector("#picture svg")).getDomAttribute("data-zoom");
    return z == null ? -1 : Integer.parseInt(z);
  }

  @Test
  void fitZoomAndOneToOneComeFromKeysStayInTheLinkAndAStepScrollsToTheStackPointer() {
    load(server.url());
    key("f");
    waitUpTo().until(d -> zoom() < 100);
    assertThat(driver.getCurrentUrl()).contains("zoom=fit");
    assertThat((Boolean) js("const p = document.getElementById('picture');"
        + " return p.querySelector('svg').getBoundingClientRect().width <= p.clientWidth + 1;"))
        .isTrue();
    key("0");
    waitUpTo().until(d -> zoom() == 100);
    assertThat((Boolean) js("const s = document.querySelector('#picture svg');"
        + " return Math.abs(s.getBoundingClientRect().width - s.viewBox.baseVal.width) < 1;"))
        .isTrue();
    key("+");
    waitUpTo().until(d -> zoom() == 125);
    key("-");
    key("-");
    waitUpTo().until(d -> zoom() == 80);
    String link = driver.findElement(By.id("link")).getDomAttribute("href");
    assertThat(link).contains("zoom=80");
    driver.get("about:blank");
    load(link);
    waitUpTo().until(d -> zoom() == 80);

    js("const p = document.getElementById('picture'); p.scrollTop = p.scrollHeight;");
    String before = step();
    driver.findElement(By.id("back")).click();
    waitUpTo().until(d -> !step().equals(before));
    String spMark = "const m = document.querySelector('#picture .mark-sp[data-address=\"' +"
        + " arguments[0] + '\"]'); if (!m) return null;"
        + " const r = m.getBoundingClientRect();"
        + " const c = document.getElementById('picture').getBoundingClientRect();"
        + " return r.top >= c.top && r.bottom <= c.bottom;";
    waitUpTo().until(d -> {
      String now = (String) js("return document.querySelector('#cpus .registers')"
          + ".textContent.match(/rsp(0x[0-9a-f]+)/)[1];");
      return Boolean.TRUE.equals(js(spMark, now));
    });
  }

  @Test
  void twoTabsKeepTheirOwnMachinesAndAClosedTabsMachineIsReleased() {
    load(server.url());
    String first = driver.getWindowHandle();
    String shown = step();
    int before = server.sessions().size();
    driver.switchTo().newWindow(WindowType.TAB);
    load(server.url());
    assertThat(server.sessions().size()).isEqualTo(before + 1);
    driver.findElement(By.id("forward")).click();
    waitUpTo().until(d -> !step().equals(shown));
    String moved = step();
    driver.close();
    driver.switchTo().window(first);
    assertThat(step()).isEqualTo(shown);
    waitUpTo().until(d -> server.sessions().size() == before);
    driver.findElement(By.id("forward")).click();
    waitUpTo().until(d -> step().equals(moved));
    WebElement msg = driver.findElement(By.id("message"));
    assertThat(msg.getText()).isEmpty();
  }
}
