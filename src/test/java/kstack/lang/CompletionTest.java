package kstack.lang;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.catalog.Profiles;
import kstack.machine.Machine;
import org.junit.jupiter.api.Test;

/** What Tab offers at the prompt, from the machine and the profile as they are. */
class CompletionTest {
  private static Completion booted(String arch, String kernel) {
    Machine m = Machine.create(Profiles.find(arch, kernel).orElseThrow(), 1);
    new Session(m).execute(Source.commandLine(1, "boot"));
    return new Completion(m);
  }

  @Test
  void theFirstWordCompletesToCommands() {
    Completion c = booted("x86_64", "6.x");
    assertThat(c.candidates("rev")).containsExactly("reverse-continue", "reverse-finish",
        "reverse-next", "reverse-step", "reverse-stepi");
    assertThat(c.candidates("st")).contains("stack", "stepi", "struct");
  }

  @Test
  void breakCompletesFunctionsAndStructCompletesStructsOfThisProfile() {
    Completion c = booted("x86_64", "6.x");
    assertThat(c.candidates("break do_sys")).contains("do_syscall_64");
    assertThat(c.candidates("struct pt_")).containsExactly("pt_regs");
    assertThat(c.candidates("struct inactive_")).containsExactly("inactive_task_frame");
    assertThat(booted("i386", "2.4").candidates("struct inactive_")).isEmpty();
  }

  @Test
  void membersFollowTheTypeOfTheExpressionBeforeTheArrow() {
    assertThat(booted("x86_64", "6.x").candidates("p current->thread_in")).containsExactly(
        "thread_info");
    assertThat(booted("i386", "2.6.11").candidates("p current->thread_in")).containsExactly(
        "thread_info");
    assertThat(booted("x86_64", "6.x").candidates("p ((struct pt_regs *)0)->r1"))
        .contains("r10", "r11", "r12");
  }

  @Test
  void dollarWordsAreThisArchitecturesRegistersAndPidsFollowBt() {
    assertThat(booted("x86_64", "6.x").candidates("p $rs")).containsExactly("$rsi", "$rsp");
    assertThat(booted("arm64", "6.x").candidates("p $sp_")).contains("$sp_el0");
    assertThat(booted("x86_64", "6.x").candidates("bt ")).contains("0", "1", "2");
    assertThat(booted("x86_64", "6.x").candidates("info r")).containsExactly("registers");
  }

  @Test
  void anOperandThatIsNotAnExpressionYetOffersEveryMember() {
    assertThat(booted("x86_64", "6.x").candidates("p nosuch->pi")).contains("pid");
  }
}
