package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Member access and indexing over the profile's struct layouts. */
class MembersTest extends BootedTest {
  @Test
  void nestedMembersThroughPointersAndStructs() {
    long t = m.current();
    assertThat(eval("current->thread.sp")).isEqualTo(m.kernel().tasks.threadSp(t));
    assertThat(eval("init_task.thread_info.flags")).isEqualTo(0);
    assertThat(eval("task_pt_regs(find_task_by_vpid(1))->cs"))
        .isEqualTo(m.inspector().read(m.inspector().taskPtRegs(m.inspector().findTaskByVpid(1)) + 136, 8));
    assertThat(eval("find_task_by_vpid(1)->real_parent->pid")).isEqualTo(0);
  }

  @Test
  void memberOfSelfReferencingPointerIsResolvedByName() {
    assertThat(Expressions.eval("init_task.real_parent", m).type().name())
        .isEqualTo("struct task_struct *");
    assertThat(eval("init_task.tasks.next->prev == &init_task.tasks")).isEqualTo(1);
  }

  @Test
  void signedMembersAreSignExtended() {
    assertThat(Expressions.eval("init_task.pid", m).type().name()).isEqualTo("int");
    assertThat(eval("(int)-5 == -5")).isEqualTo(1);
    assertThat(eval("init_task.prio")).isEqualTo(120);
  }

  @Test
  void charArrayIndexing() {
    assertThat(eval("init_task.comm[0]")).isEqualTo('s');
    assertThat(eval("init_task.comm[1] == 'w'")).isEqualTo(1);
    assertThat(eval("find_task_by_vpid(2)->comm[7]")).isEqualTo('d');
  }

  @Test
  void missingMemberNamesTheStructAndPointsAtTheName() {
    assertThatThrownBy(() -> Expressions.eval("current->foo", m))
        .isInstanceOf(ExprError.class)
        .hasMessage("struct task_struct has no member named 'foo'")
        .satisfies(e -> assertThat(((ExprError) e).column()).isEqualTo(10));
  }

  @Test
  void wrongAccessOperatorSuggestsTheRightOne() {
    assertThatThrownBy(() -> Expressions.eval("current.pid", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("use '->'");
    assertThatThrownBy(() -> Expressions.eval("init_task->pid", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("use '.'");
    assertThatThrownBy(() -> Expressions.eval("init_task.pid.x", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("not a struct");
  }
}
