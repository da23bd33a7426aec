package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kstack.machine.Machine;
import org.junit.jupiter.api.Test;

/** C pointer semantics: scaling, differences, comparisons, casts and dereference. */
class PointersTest extends BootedTest {
  private long initTask;

  @Override
  Machine boot() {
    Machine b = Booted.x86_416();
    initTask = b.symbols().get("init_task").address();
    return b;
  }

  @Test
  void pointerArithmeticScalesByTargetSize() {
    assertThat(eval("&init_task + 1")).isEqualTo(initTask + eval("sizeof(struct task_struct)"));
    assertThat(eval("(unsigned long *)0x1000 + 2")).isEqualTo(0x1010);
    assertThat(eval("2 + (int *)0x1000")).isEqualTo(0x1008);
    assertThat(eval("(struct pt_regs *)0x1000 - 1")).isEqualTo(0x1000 - 168);
    assertThat(Expressions.eval("(u16 *)0 + 1", m).type().name()).isEqualTo("u16 *");
  }

  @Test
  void voidAndCharPointersScaleByOne() {
    assertThat(eval("(void *)0x1000 + 3")).isEqualTo(0x1003);
    assertThat(eval("(char *)0x1000 + 3")).isEqualTo(0x1003);
    assertThat(eval("init_task.stack + 1")).isEqualTo(m.kernel().stacks.stack(initTask) + 1);
  }

  @Test
  void pointerDifferenceCountsElements() {
    assertThat(eval("&init_stack[5] - &init_stack[1]")).isEqualTo(4);
    assertThat(eval("(struct pt_regs *)0x1000 - (struct pt_regs *)(0x1000 - 3 * 168)"))
        .isEqualTo(3);
    assertThatThrownBy(() -> Expressions.eval("(long *)0 - (int *)0", m))
        .isInstanceOf(ExprError.class);
  }

  @Test
  void arraysDecayToPointersToTheirFirstElement() {
    assertThat(eval("init_stack + 1 == &init_stack[1]")).isEqualTo(1);
    assertThat(Expressions.eval("init_stack + 0", m).type().name()).isEqualTo("unsigned long *");
    assertThat(eval("*init_stack == init_stack[0]")).isEqualTo(1);
    assertThat(Expressions.typeName(Expressions.eval("&init_stack", m).type()))
        .isEqualTo("unsigned long (*)[2048]");
  }

  @Test
  void pointerComparisonsAreUnsigned() {
    assertThat(eval("(void *)0xffffffff81000000 > (void *)0x1000")).isEqualTo(1);
    assertThat(eval("&init_task == (struct task_struct *)" + initTask)).isEqualTo(1);
    assertThat(eval("current != 0")).isEqualTo(1);
    assertThat(eval("NULL == 0")).isEqualTo(1);
  }

  @Test
  void castToStructPointerThenMemberReadsMemory() {
    assertThat(eval("((struct task_struct *)" + initTask + ")->pid")).isEqualTo(0);
    assertThat(eval("({struct task_struct} " + initTask + ").pid")).isEqualTo(0);
    assertThat(eval("&{struct task_struct} " + initTask + " == &init_task")).isEqualTo(1);
  }

  @Test
  void structsAreNotArithmeticOperands() {
    assertThatThrownBy(() -> Expressions.eval("init_task == init_task", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("struct task_struct");
  }

  @Test
  void derefOfTypedPointerIsAnLvalue() {
    Value v = Expressions.eval("*(unsigned long *)&init_stack", m);
    assertThat(v).isInstanceOf(Value.LValue.class);
    assertThat(v.asLong()).isEqualTo(0x57AC6E9DL);
    assertThat(eval("*&init_task.pid")).isEqualTo(0);
    assertThat(eval("&*current == current")).isEqualTo(1);
  }

  @Test
  void derefOfVoidPointerOrIntegerIsAnError() {
    assertThatThrownBy(() -> Expressions.eval("*init_task.stack", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("void *");
    assertThatThrownBy(() -> Expressions.eval("*42", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("cannot dereference an integer");
    assertThatThrownBy(() -> Expressions.eval("&42", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("cannot take the address");
  }

  @Test
  void addingTwoPointersIsAnError() {
    assertThatThrownBy(() -> Expressions.eval("current + current", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("two pointers")
        .satisfies(e -> assertThat(((ExprError) e).column()).isEqualTo(9));
  }
}
