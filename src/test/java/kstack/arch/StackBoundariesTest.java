package kstack.arch;

import kstack.stack.StackKind;
import kstack.stack.StackRange;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kstack.TestMachines;
import kstack.stack.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stack of every profile, at both edges: which stack pointers and frame records the
 * unwinders take as on it. The rule (StackRange): a stack pointer is on [low, high], sp == high
 * being the empty stack; a frame record must lie inside [low, high); where two stacks touch, the
 * one sp is inside wins. The expected stacks and sizes per profile are written out here, apart
 * from the code.
 */
class StackBoundariesTest {
  static Stream<Arguments> profiles() {
    List<Arguments> out = new ArrayList<>();
    for (Profile p : Profiles.all()) {
      out.add(Arguments.of(p, expected(p)));
      if (p.config().knows("4KSTACKS")) {
        Profile k4 = p.withConfig("4KSTACKS", true);
        out.add(Arguments.of(k4, expected(k4)));
      }
    }
    return out.stream();
  }

  /** Stack name (or kind) to its size, for the running current task of CPU 0. */
  static Map<String, String> expected(Profile p) {
    Map<String, String> e = new LinkedHashMap<>();
    String v = p.arch() + " " + p.kernel();
    switch (v) {
      case "x86_64 2.6" -> {
        e.put("task", "8192");
        e.put("irq", "16384");
        ist(e, 4096, 8192);
      }
      case "x86_64 4.16" -> {
        e.put("task", "16384");
        e.put("irq", "16384");
        e.put("entry", "512");
        ist(e, 4096, 8192);
      }
      case "x86_64 6.x" -> {
        e.put("task", "16384");
        e.put("irq", "16384");
        e.put("entry", "4096");
        ist(e, 8192, 8192);
      }
      case "i386 2.4" -> e.put("task", "8192");
      case "i386 2.6.11", "i386 2.6" -> {
        boolean k4 = p.config("4KSTACKS");
        e.put("task", "" + (k4 ? 4096 : 8192));
        if (k4) {
          e.put("irq", "4096");
          e.put("softirq", "4096");
        }
      }
      case "i386 4.16", "i386 6.x" -> {
        String irq = "8192";
        e.put("task", "8192");
        e.put("irq", irq);
        e.put("softirq", irq);
        // struct entry_stack: words[64] on 4.16 (256 bytes on i386), a page on 6.19
        e.put("entry", v.equals("i386 4.16") ? "256" : "4096");
      }
      case "arm64 4.16", "arm64 6.x" -> {
        e.put("task", "16384");
        e.put("irq", "16384");
        e.put("overflow", "4096");
      }
      default -> throw new IllegalArgumentException("no expectation for " + v);
    }
    return e;
  }

  private static void ist(Map<String, String> e, int size, int db) {
    e.put("#DF stack", "" + size);
    e.put("NMI stack", "" + size);
    e.put("#DB stack", "" + db);
    e.put("#MC stack", "" + size);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyStackTakesItsEdgesByOneRule(Profile p, Map<String, String> want) {
    Machine m = TestMachines.spawned(p);
    long task = m.current();
    List<StackRange> ranges = m.arch().stackRanges(m.kernel(), task, true, 0);
    Map<String, String> got = new LinkedHashMap<>();
    int w = m.kernel().t.word;
    for (StackRange r : ranges) {
      String key = r.name().isEmpty() ? r.kind().label() : r.name();
      got.put(key, "" + (r.high() - r.low()));
      boolean touchesNext = ranges.stream().anyMatch(o -> o != r && o.low() == r.high());
      assertThat(StackRange.find(ranges, r.low())).as(key + ": sp at its bottom, full").isSameAs(r);
      assertThat(StackRange.find(ranges, r.high() - w)).as(key + ": its top word").isSameAs(r);
      if (!touchesNext) {
        assertThat(StackRange.find(ranges, r.high())).as(key + ": sp at its top, empty")
            .isSameAs(r);
      } else {
        assertThat(StackRange.find(ranges, r.high())).as(key + ": the next stack's bottom")
            .isNotSameAs(r).isNotNull();
      }
      assertThat(StackRange.find(ranges, r.low() - w)).as(key + ": a word below").isNotSameAs(r);
      assertThat(StackRange.find(ranges, r.high() + w)).as(key + ": a word above").isNotSameAs(r);
      assertThat(r.holds(r.high() - 2L * w, 2L * w)).as(key + ": a record in its top words")
          .isTrue();
      assertThat(r.holds(r.high() - w, 2L * w)).as(key + ": a record across its top").isFalse();
      assertThat(r.holds(r.high(), 0)).as(key + ": nothing lies at its top").isFalse();
      assertThat(r.holds(r.low(), 2L * w)).as(key + ": a record at its bottom").isTrue();
    }
    assertThat(got).isEqualTo(want);
    // 2.6.11 has no task_stack_page: its thread_info is the stack's base; 2.4's task_struct is
    String base = p.has(kstack.profile.Feature.TASK_UNION) ? "(unsigned long)current"
        : p.has(kstack.profile.Feature.PT_REGS_60) ? "(unsigned long)current->thread_info"
        : "(unsigned long)task_stack_page(current)";
    assertThat(ranges.get(0).low()).as("the task stack is task_stack_page(current)")
        .isEqualTo(TestMachines.eval(m, base));
  }

  /**
   * x86_64 4.16 and 6.19: SYSCALL loads cpu_current_top_of_stack into rsp, the top of the empty
   * task stack, before the first push of pt_regs; bt there is on the task stack.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("x86_64WithThreadInfoInTask")
  void theEntrysFirstPushStartsOnTheEmptyTaskStack(Profile p) {
    Machine m = TestMachines.spawned(p);
    m.addBreakpoint("entry_SYSCALL_64");
    assertThat(m.syscall("getpid", List.of()).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    m.deleteBreakpoints();
    long top = m.inspector().taskTopOfStack(m.current());
    while (m.cpu(0).get("rsp") != top) {
      m.stepi(1);
    }
    assertThat(m.inspector().backtrace(null).get(0).stack()).isEqualTo(StackKind.TASK);
  }

  static List<Profile> x86_64WithThreadInfoInTask() {
    return TestMachines.x86_64ThreadInfoInTask();
  }

  /**
   * arm64 6.19: call_on_irq_stack enters the handler with sp at the top of the empty IRQ stack; its
   * stackinfo_on_stack takes that sp as on the IRQ stack, so the frames there are "irq".
   */
  @Test
  void arm64HandlerEnteredWithSpAtTheTopOfTheIrqStackIsOnTheIrqStack() {
    Profile p = Profiles.find("arm64", "6.x").orElseThrow();
    Machine m = TestMachines.spawned(p);
    m.addBreakpoint("gic_handle_irq");
    assertThat(m.irq(5).stop()).isEqualTo(Outcome.Stop.BREAKPOINT);
    long sp = m.cpu(0).get("sp");
    long irq = m.kernel().readPtr(m.inspector().perCpuAddress("irq_stack_ptr", 0));
    assertThat(sp).as("sp at the top of the IRQ stack").isEqualTo(irq + m.kernel().threadSize);
    List<Frame> bt = m.inspector().backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo(StackKind.IRQ);
    assertThat(bt).extracting(Frame::stack).doesNotContain(StackKind.UNKNOWN);
  }
}
