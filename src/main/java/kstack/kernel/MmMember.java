package kstack.kernel;

/**
 * The mm_struct members the model reads and writes (include/linux/mm_types.h; the generic layout
 * of {@link KernelLayouts}, the same members on every profile), resolved once when the kernel is
 * built ({@link UserSpaces}) so that a switch of the page-table root reads pgd by index.
 */
public enum MmMember {
  mmap_base, task_size, pgd, mm_users, mm_count, start_stack
}
