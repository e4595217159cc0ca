"""Every write of the presence app: groups, shifts and series of shifts. Each checks who may
write, checks everything before writing anything, and leaves audit rows."""
