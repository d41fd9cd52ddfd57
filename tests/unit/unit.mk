# Host unit tests (Check). Included by the top-level Makefile.
# Each test_<name>.c is a suite; UNIT_SRCS lists the kernel sources they
# test, compiled unchanged for the host with -DKEVLAR_HOST.

UNIT_DIR   := tests/unit
UNIT_OUT   := build/unit
UNIT_SRCS  :=
UNIT_TESTS := $(wildcard $(UNIT_DIR)/test_*.c)
UNIT_HOST  := $(UNIT_DIR)/main.c $(UNIT_DIR)/host/host_platform.c
-include $(UNIT_DIR)/sources.mk

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -DKEVLAR_HOST \
	-Iplatform/include -I$(GEN)/include -Icaps/include -I$(UNIT_DIR) -I$(UNIT_DIR)/host \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	$(shell pkg-config --cflags check 2>/dev/null)
UNIT_LDLIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

UNIT_OBJS := $(patsubst %.c,$(UNIT_OUT)/%.o,$(UNIT_HOST) $(UNIT_TESTS) $(UNIT_SRCS))

$(UNIT_OBJS): $(GEN)/.stamp

$(UNIT_OUT)/%.o: %.c
	$(call quiet,HOSTCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

$(UNIT_OUT)/kevlar-unit: $(UNIT_OBJS)
	$(call quiet,HOSTLD,$@)
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $^ $(UNIT_LDLIBS) -o $@

-include $(UNIT_OBJS:.o=.d)

.PHONY: test-unit
test-unit: ## host unit tests (Check)
test-unit: $(UNIT_OUT)/kevlar-unit
	$(Q)CK_FORK=yes ./$(UNIT_OUT)/kevlar-unit
