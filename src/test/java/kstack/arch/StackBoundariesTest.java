package kstack.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kstack.TestMachines;
import kstack.machine.Frame;
import kstack.machine.Machine;
import kstack.machine.Outcome;
import kstack.profile.Profile;
import kstack.profile.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stack of every profile, at both edges: which addresses the unwinders take as on it. The
 * expected rules are the kernel's own helpers for each generation, written out here apart from
 * the code (see StackRange for the citations): "[)" takes the bottom and not the top, "(]" the
 * top (an empty stack) and not the bottom, and so on.
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

  /** Stack name (or kind) to "RULE SIZE", for the running current task of CPU 0. */
  static Map<String, String> expected(Profile p) {
    Map<String, String> e = new LinkedHashMap<>();
    String v = p.arch() + " " + p.kernel();
    switch (v) {
      case "x86_64 2.6" -> {
        e.put("task", "() 8192");
        e.put("irq", "[) 16384");
        ist(e, "[)", 4096, 8192);
      }
      case "x86_64 4.16" -> {
        e.put("task", "[) 16384");
        e.put("irq", "(] 16384");
        e.put("entry", "[) 512");
        ist(e, "()", 4096, 8192);
      }
      case "x86_64 6.x" -> {
        e.put("task", "[) 16384");
        e.put("irq", "[) 16384");
        e.put("entry", "[) 4096");
        ist(e, "[)", 8192, 8192);
      }
      case "i386 2.4" -> e.put("task", "[) 8192");
      case "i386 2.6.11", "i386 2.6" -> {
        boolean k4 = p.config("4KSTACKS");
        e.put("task", "() " + (k4 ? 4096 : 8192));
        if (k4) {
          e.put("irq", "() 4096");
          e.put("softirq", "() 4096");
        }
      }
      case "i386 4.16", "i386 6.x" -> {
        String irq = p.kernel().equals("4.16") ? "(] 8192" : "[] 8192";
        e.put("task", "[) 8192");
        e.put("irq", irq);
        e.put("softirq", irq);
        e.put("entry", "[) 4096");
      }
      case "arm64 4.16", "arm64 6.x" -> {
        String r = p.kernel().equals("4.16") ? "[)" : "[]";
        e.put("task", r + " 16384");
        e.put("irq", r + " 16384");
        e.put("overflow", r + " 4096");
      }
      default -> throw new IllegalArgumentException("no expectation for " + v);
    }
    return e;
  }

  private static void ist(Map<String, String> e, String rule, int size, int db) {
    e.put("#DF stack", rule + " " + size);
    e.put("NMI stack", rule + " " + size);
    e.put("#DB stack", rule + " " + db);
    e.put("#MC stack", rule + " " + size);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyStackTakesItsEdgesAsTheKernelsOwnHelperDoes(Profile p, Map<String, String> want) {
    Machine m = TestMachines.spawned(p);
    long task = m.current();
    List<StackRange> ranges = m.arch().stackRanges(m.kernel(), task, true, 0);
    Map<String, String> got = new LinkedHashMap<>();
    int w = m.kernel().t.word;
    for (StackRange r : ranges) {
      String key = r.name().isEmpty() ? r.kind() : r.name();
      long size = r.high() - r.low();
      // the edge rule of the stack itself; where two stacks touch (i386's hardirq and softirq
      // stacks, 2.6.32's IST stacks), the unwinder asks them in get_stack_info's order
      boolean low = r.holds(r.low());
      boolean high = r.holds(r.high());
      assertThat(StackRange.find(ranges, r.low() + w)).as(key + " holds its lowest word + 1")
          .isSameAs(r);
      assertThat(StackRange.find(ranges, r.high() - w)).as(key + " holds its top word")
          .isSameAs(r);
      assertThat(StackRange.find(ranges, r.low() - w)).as(key + ": a word below it").isNotSameAs(r);
      assertThat(StackRange.find(ranges, r.high() + w)).as(key + ": a word above it")
          .isNotSameAs(r);
      got.put(key, (low ? "[" : "(") + (high ? "]" : ")") + " " + size);
    }
    assertThat(got).isEqualTo(want);
    assertThat(ranges.get(0).low()).as("the task stack is task_stack_page(current)")
        .isEqualTo(TestMachines.eval(m, "(unsigned long)task_stack_page(current)"));
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
    long irq = m.kernel().readPtr(m.perCpuAddress("irq_stack_ptr", 0));
    assertThat(sp).as("sp at the top of the IRQ stack").isEqualTo(irq + m.kernel().threadSize);
    List<Frame> bt = m.backtrace(null);
    assertThat(bt.get(0).stack()).isEqualTo("irq");
    assertThat(bt).extracting(Frame::stack).doesNotContain("unknown");
  }
}
