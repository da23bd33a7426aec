package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reads of unmapped memory become ExprErrors pointing at the part of the text that was read. */
class FaultsTest extends BootedTest {
  @Test
  void unmappedReadSaysWhichAddress() {
    ExprError e = error("*(long *)0x3f");
    assertThat(e.getMessage()).isEqualTo("cannot access memory at address 0x3f");
    assertThat(e.column()).isEqualTo(1);
  }

  @Test
  void faultInsideAChainPointsAtTheMemberBeingRead() {
    String text = "((struct task_struct *)0x10)->real_parent->pid";
    ExprError e = error(text);
    assertThat(e.getMessage()).isEqualTo("cannot access memory at address 0x88");
    assertThat(e.column()).isEqualTo(text.indexOf("real_parent") + 1);
  }

  @Test
  void faultInAnOperandPointsAtTheOperand() {
    ExprError e = error("1 + *(int *)8");
    assertThat(e.getMessage()).contains("0x8");
    assertThat(e.column()).isEqualTo(5);
  }

  @Test
  void faultingStructLvalueIsReportedWhenEvaluated() {
    ExprError e = error("*(struct pt_regs *)0x1000");
    assertThat(e.getMessage()).startsWith("cannot access memory at address 0x1000");
  }

  @Test
  void addressOfUnmappedObjectDoesNotRead() {
    assertThat(Booted.eval(m, "&((struct task_struct *)0x10)->pid")).isEqualTo(0x10 + 100);
    assertThat(Booted.eval(m, "sizeof(*(struct pt_regs *)0)")).isEqualTo(168);
  }

  @Test
  void formattingAValueThatBecameUnreadableIsAnExprError() {
    Value stale = new Value.LValue(0x3f, new kstack.layout.CType.Struct(m.struct("pt_regs")), m);
    assertThatThrownBy(() -> Expressions.format(stale, '\0', m)).isInstanceOf(ExprError.class)
        .hasMessageContaining("cannot access memory");
    assertThatThrownBy(() -> Expressions.toJson(stale, m)).isInstanceOf(ExprError.class);
    assertThatThrownBy(stale::asLong).isInstanceOf(ExprError.class);
  }

  @Test
  void charPointerToUnmappedMemoryPrintsAnErrorNoteLikeGdb() {
    assertThat(Booted.print(m, "(char *)0x3f")).isEqualTo(
        "0x3f <error: cannot access memory at address 0x3f>");
  }
}
