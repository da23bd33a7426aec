package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kstack.tour.Tour;
import kstack.tour.Tours;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** kstack tour: every tour in both languages prints each stop; bad names and options refused. */
class TourCommandTest {
  static List<Arguments> toursAndLanguages() {
    List<Arguments> out = new ArrayList<>();
    for (String t : Tours.NAMES) {
      for (String lang : Tour.LANGUAGES) {
        out.add(Arguments.of(t, lang));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} --lang {1}")
  @MethodSource("toursAndLanguages")
  void everyTourPrintsEachStopWithItsTextCommandsAndTheRegionItPointsAt(String name, String lang) {
    CliTest.Run r = CliTest.run("tour", name, "--lang", lang);
    assertThat(r.code()).as(r.err()).isZero();
    Tour t = Tours.load(name);
    assertThat(r.out()).startsWith("Tour " + name + ": " + t.title(lang));
    for (int i = 0; i < t.stops().size(); i++) {
      Tour.Stop s = t.stops().get(i);
      assertThat(r.out()).contains("== " + (i + 1) + "/" + t.stops().size() + " (");
      assertThat(r.out().replace("\n", " ")).contains(s.texts().get(lang).substring(0, 20));
      s.commands().forEach(c -> assertThat(r.out()).contains("(kstack) " + c.text()));
    }
    assertThat(r.out().split("\n-- look: ", -1)).hasSize(t.stops().size() + 1);
    assertThat(r.out()).contains("\n=> 0x");
  }

  @Test
  void tourListNamesEveryTourWithItsTitleAndProfiles() {
    CliTest.Run r = CliTest.run("tour", "list", "--lang", "zh");
    assertThat(r.code()).isZero();
    assertThat(r.out().lines()).hasSize(Tours.NAMES.size());
    assertThat(r.out()).contains("syscall        系统调用入口与 pt_regs [x86_64 4.16]");
  }

  @Test
  void aTourRunsOnAnotherProfileWhenAsked() {
    CliTest.Run r = CliTest.run("tour", "boot", "--kernel", "6.x");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("(5 stops; x86_64 6.x (6.19))")
        .contains("common_startup_64: rsp = current_task->thread.sp");
  }

  @Test
  void badTourNamesLanguagesAndProfilesAreUsageErrors() {
    CliTest.Run r = CliTest.run("tour", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kstack: tour: no tour 'nope' (tours: boot,");
    r = CliTest.run("tour", "boot", "--lang", "fr");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no language 'fr'");
    r = CliTest.run("tour", "irq-stacks", "--arch", "i386");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("picks a machine per stop");
    r = CliTest.run("tour", "boot", "--kernel", "9.9");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no profile for --arch x86_64 --kernel 9.9");
    r = CliTest.run("tour");
    assertThat(r.code()).isEqualTo(2);
    CliTest.noStackTrace(r);
  }

  @Test
  void aStopThatFailsOnAnotherProfileStopsTheTourWithExitCodeOne() {
    CliTest.Run r = CliTest.run("tour", "syscall", "--arch", "arm64");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("== 1/5 (arm64 6.x");
    assertThat(r.err()).startsWith("kstack: tour syscall, stop 2 on arm64 6.x (6.19): "
        + "tours/syscall.tour:").contains("entry_SYSCALL_64");
    CliTest.noStackTrace(r);
  }
}
