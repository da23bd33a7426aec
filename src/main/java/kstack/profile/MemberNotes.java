package kstack.profile;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a member that older texts (the seed articles among them) use is missing in a profile: the
 * kernel renamed or removed it. Shown after "has no member named" so that a reader following an
 * older article learns what the source of this generation says instead.
 */
public final class MemberNotes {
  private MemberNotes() {}

  /** What a profile's member note says, given the cited feature it has. */
  private interface Note {
    Optional<String> why(Profile p, String struct, String member);
  }

  /** A note and the feature whose profiles it applies to. */
  private record Rule(Feature feature, Note note) {}

  /** The notes in the order they are consulted: the first that answers wins. */
  private static final List<Rule> RULES = List.of(
      new Rule(Feature.THREAD_INFO_IN_TASK, MemberNotes::threadInfoTask),
      new Rule(Feature.PT_REGS_60, (p, s, m) -> whyMissing2611(s, m)),
      new Rule(Feature.CURRENT_FROM_THREAD_INFO, (p, s, m) -> whyMissing2611(s, m)),
      new Rule(Feature.TASK_UNION, (p, s, m) -> whyMissing24(s, m)),
      new Rule(Feature.TASK_STATE_DUNDER, (p, s, m) -> s.equals("task_struct") && m.equals("state")
          ? Optional.of("renamed __state in 5.14 (" + Feature.TASK_STATE_DUNDER.citation() + ")")
          : Optional.empty()));

  public static Optional<String> whyMissing(Profile p, String struct, String member) {
    Set<Feature> features = p.features();
    for (Rule r : RULES) {
      if (features.contains(r.feature())) {
        Optional<String> why = r.note().why(p, struct, member);
        if (why.isPresent()) {
          return why;
        }
      }
    }
    if (struct.equals("pt_regs") && p.arch().equals("x86_64") && member.length() == 3
        && member.charAt(0) == 'r' && !member.matches("r\\d+")) {
      return Optional.of("x86 pt_regs members dropped their r/e prefixes in 2.6.25 (one struct for "
          + "32 and 64 bit): try '" + member.substring(1) + "'");
    }
    return Optional.empty();
  }

  /** thread_info inside task_struct (THREAD_INFO_IN_TASK) has no task pointer. */
  private static Optional<String> threadInfoTask(Profile p, String struct, String member) {
    if (!struct.equals("thread_info") || !member.equals("task")) {
      return Optional.empty();
    }
    String current = p.arch().equals("arm64") ? "sp_el0 (arm64)" : "the per-CPU current_task";
    return Optional.of("thread_info sits at the start of task_struct in this generation "
        + "(THREAD_INFO_IN_TASK: " + (p.arch().equals("arm64")
            ? "arch/arm64/Kconfig@" + p.version() + " selects THREAD_INFO_IN_TASK"
            : Feature.THREAD_INFO_IN_TASK.citation()) + "), so it has no "
        + "task pointer; current comes from " + current + ". The thread_info->task route is the "
        + "2.6-era one (--kernel 2.6.11 finds current that way; --kernel 2.6 keeps thread_info "
        + "at the stack base but reads the per-CPU current_task)");
  }

  /** 2.6.11's names: the 2.4 register names, and task->thread_info for the later task->stack. */
  private static Optional<String> whyMissing2611(String struct, String member) {
    if (struct.equals("task_struct") && member.equals("stack")) {
      return Optional.of("2.6.11 calls it thread_info: task->thread_info points at the thread_info "
          + "at the stack base (include/linux/sched.h@2.6.11:530); task->stack is the later name");
    }
    if (struct.equals("pt_regs")) {
      return whyMissing24(struct, member).map(s -> s.replace("2.4's pt_regs",
          "2.6.11's pt_regs, like 2.4's,").replace("ptrace.h@2.4.22:26-42", "ptrace.h@2.6.11:26-42"));
    }
    return Optional.empty();
  }

  /** 2.4.22's names for what later texts call by later names (TASK_UNION). */
  private static Optional<String> whyMissing24(String struct, String member) {
    java.util.Map<String, String> regs = java.util.Map.ofEntries(
        java.util.Map.entry("sp", "esp"), java.util.Map.entry("ip", "eip"),
        java.util.Map.entry("ax", "eax"), java.util.Map.entry("bx", "ebx"),
        java.util.Map.entry("cx", "ecx"), java.util.Map.entry("dx", "edx"),
        java.util.Map.entry("si", "esi"), java.util.Map.entry("di", "edi"),
        java.util.Map.entry("bp", "ebp"), java.util.Map.entry("orig_ax", "orig_eax"),
        java.util.Map.entry("flags", "eflags"), java.util.Map.entry("cs", "xcs"),
        java.util.Map.entry("ss", "xss"), java.util.Map.entry("ds", "xds"),
        java.util.Map.entry("es", "xes"));
    if (struct.equals("pt_regs") && regs.containsKey(member)) {
      return Optional.of("2.4's pt_regs has the e-prefixed registers and x-prefixed segments "
          + "(include/asm-i386/ptrace.h@2.4.22:26-42): try '" + regs.get(member) + "'");
    }
    if (struct.equals("task_struct") && member.equals("tasks")) {
      return Optional.of("2.4 links the task list by pointers, not by a list_head: next_task and "
          + "prev_task (include/linux/sched.h@2.4.22, for_each_task() walks init_task.next_task); "
          + "follow them with init_task.next_task->next_task, or walk the run queue as a list: "
          + "list_for_each_entry(&runqueue_head, struct task_struct, run_list)");
    }
    if (struct.equals("task_struct") && member.equals("stack")) {
      return Optional.of("2.4 has no task->stack: the task_struct is the base of its own 8 KiB "
          + "task_union, whose top is the stack (" + Feature.TASK_UNION.citation() + ")");
    }
    if (struct.equals("task_struct") && (member.equals("real_parent") || member.equals("parent"))) {
      return Optional.of("2.4 links tasks with p_opptr (the original parent), p_pptr, p_cptr, "
          + "p_ysptr and p_osptr (include/linux/sched.h@2.4.22:283-418): try '"
          + (member.equals("real_parent") ? "p_opptr" : "p_pptr") + "'");
    }
    return Optional.empty();
  }
}
