package kstack.profile;

import java.util.Optional;

/**
 * Why a member that older texts (the seed articles among them) use is missing in a profile: the
 * kernel renamed or removed it. Shown after "has no member named" so that a reader following an
 * older article learns what the source of this generation says instead.
 */
public final class MemberNotes {
  private MemberNotes() {}

  public static Optional<String> whyMissing(Profile p, String struct, String member) {
    String current = p.arch().equals("arm64") ? "sp_el0 (arm64)" : "the per-CPU current_task";
    if (struct.equals("thread_info") && member.equals("task") && p.has(Feature.THREAD_INFO_IN_TASK)) {
      return Optional.of("thread_info sits at the start of task_struct in this generation "
          + "(THREAD_INFO_IN_TASK: " + (p.arch().equals("arm64")
              ? "arch/arm64/Kconfig@" + p.version() + " selects THREAD_INFO_IN_TASK"
              : Feature.THREAD_INFO_IN_TASK.citation()) + "), so it has no "
          + "task pointer; current comes from " + current + ". The thread_info->task route is the "
          + "2.6-era one (--kernel 2.6.11 finds current that way; --kernel 2.6 keeps thread_info "
          + "at the stack base but reads the per-CPU current_task)");
    }
    if (p.has(Feature.PT_REGS_60) || p.has(Feature.CURRENT_FROM_THREAD_INFO)) {
      Optional<String> old = whyMissing2611(struct, member);
      if (old.isPresent()) {
        return old;
      }
    }
    if (p.has(Feature.TASK_UNION)) {
      Optional<String> old = whyMissing24(struct, member);
      if (old.isPresent()) {
        return old;
      }
    }
    if (struct.equals("task_struct") && member.equals("state") && p.has(Feature.TASK_STATE_DUNDER)) {
      return Optional.of("renamed __state in 5.14 (" + Feature.TASK_STATE_DUNDER.citation() + ")");
    }
    if (struct.equals("pt_regs") && p.arch().equals("x86_64") && member.length() == 3
        && member.charAt(0) == 'r' && !member.matches("r\\d+")) {
      return Optional.of("x86 pt_regs members dropped their r/e prefixes in 2.6.25 (one struct for "
          + "32 and 64 bit): try '" + member.substring(1) + "'");
    }
    return Optional.empty();
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
