package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kstack.machine.Machine;
import org.junit.jupiter.api.Test;

/** Names follow the image: 6.19 links __end_init_stack where 4.16 had __end_init_task. */
class Profile619Test extends BootedTest {
  @Override
  Machine boot() {
    return Booted.x86_619();
  }

  @Test
  void endOfInitStackLabelExists() {
    assertThat(Booted.eval(m, "&__end_init_stack"))
        .isEqualTo(m.symbols().get("__end_init_stack").address());
  }

  @Test
  void oldLabelIsAnUnknownSymbol() {
    assertThatThrownBy(() -> Expressions.eval("&__end_init_task", m))
        .isInstanceOf(ExprError.class)
        .hasMessageStartingWith("no symbol \"__end_init_task\" in this profile: Linux 6.19 no longer "
            + "has it (include/asm-generic/vmlinux.lds.h@4.16.13:277-285")
        .hasMessageContaining("6.19 calls it __end_init_stack")
        .satisfies(e -> assertThat(((ExprError) e).column()).isEqualTo(2));
  }

  @Test
  void theSameStackRelationsHold() {
    assertThat(Booted.eval(m, "init_task.stack == &init_stack")).isEqualTo(1);
    assertThat(Booted.eval(m, "task_pt_regs(find_task_by_vpid(1)) == "
        + "task_stack_page(find_task_by_vpid(1)) + THREAD_SIZE - sizeof(struct pt_regs)"))
        .isEqualTo(1);
    assertThat(Booted.eval(m, "per_cpu(current_task, 0) == current")).isEqualTo(1);
    assertThat(Booted.print(m, "find_task_by_vpid(2)->comm")).isEqualTo("\"kthreadd\"");
  }
}
