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
          + "2.6-era one (--kernel 2.6 keeps thread_info at the stack base)");
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
}
