package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Symbols, labels, per-CPU variables, constants and registers on x86_64 4.16 after boot. */
class NamesTest extends BootedTest {
  private long sym(String name) {
    return m.symbols().get(name).address();
  }

  @Test
  void objectSymbolIsAnLvalueOfItsType() {
    Value v = Expressions.eval("init_task", m);
    assertThat(v).isInstanceOf(Value.LValue.class);
    assertThat(((Value.LValue) v).address()).isEqualTo(sym("init_task"));
    assertThat(v.type().name()).isEqualTo("struct task_struct");
    assertThat(Expressions.eval("&init_task", m).type().name()).isEqualTo("struct task_struct *");
    assertThat(eval("&init_task")).isEqualTo(sym("init_task"));
    assertThat(eval("init_task.pid")).isEqualTo(0);
  }

  @Test
  void functionSymbolIsCode() {
    Value v = Expressions.eval("entry_SYSCALL_64", m);
    assertThat(v).isInstanceOf(Value.Code.class);
    assertThat(v.asLong()).isEqualTo(sym("entry_SYSCALL_64"));
    assertThat(eval("&entry_SYSCALL_64")).isEqualTo(sym("entry_SYSCALL_64"));
  }

  @Test
  void labelAndItsAddressAreTheSameAddress() {
    assertThat(eval("__end_init_task")).isEqualTo(sym("__end_init_task"));
    assertThat(eval("&__end_init_task")).isEqualTo(sym("__end_init_task"));
    assertThat(eval("&__end_init_task - sizeof(struct pt_regs)"))
        .isEqualTo(sym("__end_init_task") - 168);
  }

  @Test
  void perCpuVariableMeansThisCpusInstance() {
    Value v = Expressions.eval("current_task", m);
    assertThat(((Value.LValue) v).address()).isEqualTo(m.inspector().perCpuAddress("current_task", 0));
    assertThat(eval("current_task")).isEqualTo(m.current());
    assertThat(eval("per_cpu(current_task, 0) == current")).isEqualTo(1);
    assertThat(eval("this_cpu_read(current_task) == current")).isEqualTo(1);
    assertThat(eval("*per_cpu_ptr(&current_task, 0) == current")).isEqualTo(1);
    assertThat(eval("this_cpu_ptr(&current_task) == &current_task")).isEqualTo(1);
  }

  @Test
  void perCpuMacroWithoutASymbolIsAnUnsignedLong() {
    assertThat(m.symbols().get("cpu_current_top_of_stack")).isNull();
    Value v = Expressions.eval("cpu_current_top_of_stack", m);
    assertThat(v.type().name()).isEqualTo("unsigned long");
    assertThat(((Value.LValue) v).address())
        .isEqualTo(m.inspector().perCpuAddress("cpu_current_top_of_stack", 0));
    assertThat(eval("cpu_current_top_of_stack == per_cpu(cpu_tss_rw, 0).x86_tss.sp1")).isEqualTo(1);
  }

  @Test
  void constantsAreUnsignedLongs() {
    assertThat(eval("THREAD_SIZE")).isEqualTo(m.inspector().constants().get("THREAD_SIZE"));
    assertThat(eval("PAGE_SIZE")).isEqualTo(4096);
    assertThat(eval("__USER_CS")).isEqualTo(m.inspector().constants().get("__USER_CS"));
    assertThat(eval("STACK_END_MAGIC")).isEqualTo(0x57AC6E9DL);
    assertThat(Expressions.eval("THREAD_SIZE", m).type().name()).isEqualTo("unsigned long");
  }

  @Test
  void registersComeFromTheSelectedCpu() {
    var cpu = m.cpu(m.selectedCpu());
    assertThat(eval("$rsp")).isEqualTo(cpu.get("rsp"));
    assertThat(eval("$rip")).isEqualTo(cpu.get("rip"));
    assertThat(eval("$rax")).isEqualTo(cpu.get("rax"));
    assertThat(eval("$cr3")).isEqualTo(cpu.get("cr3"));
    assertThat(eval("$sp == $rsp && $pc == $rip && $fp == $rbp")).isEqualTo(1);
    assertThat(Expressions.eval("$rax", m).type().name()).isEqualTo("long");
  }

  @Test
  void stackMaskingIdiomNeedsNoCast() {
    assertThat(eval("$rsp & ~(THREAD_SIZE - 1)")).isEqualTo(m.cpu(0).get("rsp") & ~(16384L - 1));
  }

  @Test
  void unknownNamesAreReportedWithTheImage() {
    assertThatThrownBy(() -> Expressions.eval("1 + foo", m)).isInstanceOf(ExprError.class)
        .hasMessage("no symbol \"foo\" in the x86_64 4.16 image")
        .satisfies(e -> assertThat(((ExprError) e).column()).isEqualTo(5));
    assertThatThrownBy(() -> Expressions.eval("$nope", m)).isInstanceOf(ExprError.class)
        .hasMessageContaining("$nope is neither a register of x86_64 nor a convenience variable");
  }

  @Test
  void perCpuOfAPlainObjectIsAnError() {
    assertThatThrownBy(() -> Expressions.eval("per_cpu(init_task, 0)", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("not a per-CPU variable");
    assertThatThrownBy(() -> Expressions.eval("per_cpu(current_task, 1)", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("no CPU 1");
  }
}
