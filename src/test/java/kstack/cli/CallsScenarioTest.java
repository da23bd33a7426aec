package kstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code calls} scenario shows, on every profile, where sum8's arguments really are
 * once its prologue has run: SysV AMD64 puts the 7th and 8th (g = 7, h = 8) on the stack at
 * 16(%rbp) and 24(%rbp); i386 cdecl puts all eight at 8(%ebp)..; AAPCS64 keeps all eight in
 * x0-x7, so g and h are x6 and x7.
 */
class CallsScenarioTest {
  @Test
  void callsScenarioShowsSum8sArgumentsWhereEachArchPassesThem() {
    for (Profile p : Profiles.all()) {
      CliTest.Run r = CliTest.run("run", "--arch", p.arch(), "--kernel", p.kernel(), "calls");
      String what = p.arch() + " " + p.kernel();
      assertThat(r.code()).as(what).isZero();
      switch (p.arch()) {
        case "x86_64" -> assertThat(r.out()).as(what)
            .containsPattern("\\(kstack\\) x/4gx \\$rbp\n0x\\w+:\t0x\\w+\t0x0*4002\\w\\w\n"
                + "0x\\w+:\t0x0{15}7\t0x0{15}8\n");
        case "i386" -> assertThat(r.out()).as(what)
            .contains("(kstack) x/8wx $ebp+8\n")
            .containsPattern(":\t0x00000001\t0x00000002\t0x00000003\t0x00000004\n"
                + "0x\\w+:\t0x00000005\t0x00000006\t0x00000007\t0x00000008\n");
        default -> assertThat(r.out()).as(what)
            .containsPattern("\\(kstack\\) p \\$x6\n\\$\\d+ = 7\n\\(kstack\\) p \\$x7\n\\$\\d+ = 8\n");
      }
    }
  }
}
