package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kstack.TestMachines;
import kstack.catalog.Profiles;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.stack.StackWord;
import kstack.stack.WordKind;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The page in real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): it draws the stacks of a task stopped inside write(2) with every pt_regs field
 * labelled, steps forward and back and marks the registers a step changed, its rsp arrow points
 * where $rsp, read in its own console, says; the scrubber and the event jumps work from the
 * keyboard; the drawn frames are bt's; a link reproduces the view; side by side, i386 2.4 shows its
 * task_struct where 2.6 keeps thread_info, each marked with the feature behind it.
 */
class WebBrowserTest extends BrowserPageTest {
  @Override
  List<String> scenario() {
    return List.of("boot", "spawn sh", "break vfs_write", "syscall write(1, \"x\")");
  }

  /** Runs a command in the page's console; returns the output's last line once it has come. */
  private String console(String command) {
    int before = driver.findElements(By.cssSelector("#output > div")).size();
    driver.findElement(By.id("command")).sendKeys(command, Keys.ENTER);
    waitUpTo().until(d -> d.findElements(By.cssSelector("#output > div")).size() > before + 1);
    List<WebElement> out = driver.findElements(By.cssSelector("#output > div"));
    return out.get(out.size() - 1).getText();
  }

  @Test
  void thePageDrawsPtRegsStepsForwardAndBackAndItsRspArrowIsAtRsp() {
    load(server.url());
    Machine local = TestMachines.spawned(Profiles.x86_64_6_19());
    kstack.lang.Session s = new kstack.lang.Session(local);
    s.execute(Source.commandLine(1, "break vfs_write"));
    s.execute(Source.commandLine(2, "syscall write(1, \"x\")"));
    List<String> expected = local.inspector().taskStack(null, true).stack().words().stream()
        .filter(w -> w.kind() == WordKind.PT_REGS).map(StackWord::label).toList();
    List<String> shown = driver.findElements(By.cssSelector("#col-task-3 .region-pt_regs .field"))
        .stream().map(e -> e.getAttribute("textContent")).toList();
    assertThat(expected).isNotEmpty();
    assertThat(shown).containsExactlyInAnyOrderElementsOf(expected);

    console("p 0");
    String start = step();
    driver.findElement(By.id("forward")).click();
    waitUpTo().until(d -> !step().equals(start));
    String rsp = console("p/x $rsp").replaceFirst("^\\$\\d+ = ", "");
    waitUpTo().until(d -> !d.findElements(By.id("arrow-cpu0-rsp")).isEmpty()
        && rsp.equals(d.findElement(By.id("arrow-cpu0-rsp")).getAttribute("data-address")));
    assertThat(driver.findElement(By.id("arrow-cpu0-rsp")).getAttribute("data-address"))
        .isEqualTo(rsp);
    waitUpTo().until(d -> !d.findElements(By.cssSelector("#cpus tr.changed")).isEmpty());
    assertThat(driver.findElements(By.cssSelector("#cpus .registers tr.changed")).stream()
        .map(WebElement::getText)).anyMatch(t -> t.startsWith("rip"));
    String afterForward = step();
    driver.findElement(By.id("back")).click();
    waitUpTo().until(d -> !step().equals(afterForward));
    assertThat(step()).isEqualTo(start);

    key("g");
    waitUpTo().until(d -> "scrubber".equals(d.switchTo().activeElement().getAttribute("id")));
    driver.switchTo().activeElement().sendKeys(Keys.HOME);
    waitUpTo().withMessage(() -> "the page shows " + step() + ", scrubber at "
        + driver.findElement(By.id("scrubber")).getAttribute("value") + " min "
        + driver.findElement(By.id("scrubber")).getAttribute("min") + "; "
        + driver.findElement(By.id("message")).getText())
        .until(d -> step().equals("step 0"));
    driver.switchTo().activeElement().sendKeys(Keys.END); // the run's end: the step forward's
    waitUpTo().until(d -> step().equals(afterForward));
    key(Keys.chord(Keys.SHIFT, "s"));
    waitUpTo().until(d -> !step().equals(afterForward));
    assertThat(driver.findElement(By.cssSelector("#events li.now")).getAttribute("data-kind"))
        .isEqualTo("syscall");
  }

  @Test
  void theDrawnFramesAreTheFramesBtNamesAndALinkReproducesTheView() {
    load(server.url());
    List<String> drawn = driver.findElements(By.cssSelector("#col-task-3 .region-frame"
        + " .region-label")).stream().map(e -> e.getAttribute("textContent"))
        .map(t -> t.replaceFirst("^frame of ([^ ,]+).*$", "$1")).toList();
    console("bt");
    List<String> bt = driver.findElements(By.cssSelector("#output > div")).stream()
        .map(WebElement::getText).filter(t -> t.matches("#\\d+ .* in .*\\[task\\]"))
        .map(t -> t.replaceFirst("^.* in ([^ +]+).*$", "$1")).toList();
    assertThat(drawn).isNotEmpty().contains("vfs_write");
    assertThat(bt).containsAll(drawn);
    String end = step();
    driver.findElement(By.id("back")).click();
    waitUpTo().until(d -> !step().equals(end));
    String shown = step();
    waitUpTo().until(d -> d.findElement(By.id("link")).getAttribute("href")
        .matches(".*[#&]step=" + shown.substring("step ".length()) + "(&.*)?"));
    String link = driver.findElement(By.id("link")).getAttribute("href");
    driver.get("about:blank");
    load(link);
    assertThat(step()).isEqualTo(shown);
  }

  @Test
  void sideBySideI386TwoFourAndTwoSixShowTaskStructAgainstThreadInfoAtTheBase() {
    load(server.url() + "#a=i386:2.4&b=i386:2.6&scenario=syscall&pid=3");
    waitUpTo().until(d -> !d.findElements(By.cssSelector("#diff-marks li")).isEmpty());
    assertThat(base("picture").getAttribute("class")).contains("region-task_struct")
        .contains("differs");
    assertThat(base("picture-b").getAttribute("class")).contains("region-thread_info")
        .contains("differs");
    List<String> marks = driver.findElements(By.cssSelector("#diff-marks li")).stream()
        .map(e -> e.getAttribute("textContent")).toList();
    assertThat(marks).anyMatch(m -> m.contains("task_struct") && m.contains("TASK_UNION"));
    assertThat(marks).anyMatch(m -> m.contains("thread_info")
        && m.contains("THREAD_INFO_AT_BASE"));
    String before = step();
    driver.findElement(By.id("back")).click();
    waitUpTo().until(d -> !step().equals(before));
    assertThat(step().split(" \\| ")).hasSize(2);
  }

  /** The block at the lowest address of pid 3's stack in one of the two drawings. */
  private WebElement base(String picture) {
    List<WebElement> blocks = driver.findElements(By.cssSelector("#" + picture
        + " #col-task-3 .region"));
    return blocks.stream().filter(b -> !b.getAttribute("class").contains("region-guard"))
        .min(java.util.Comparator.comparing(b -> Long.decode(b.getAttribute("data-low"))))
        .orElseThrow();
  }
}
