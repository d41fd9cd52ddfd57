# The capability audit (tools/capaudit/), included by the Makefile.
#
#   make audit [PROFILE=...] [KTEST=1] [FORMAT=text|json|dot] [AUDIT_OUT=file]
#   make audit-diff BASE=<git-ref> [PROFILE=...] [KTEST=1] [FORMAT=text|json]
#   make test-audit
#
# The report goes to stdout and the build's own lines to stderr, so that
# `make -s audit FORMAT=json > audit.json` gives clean JSON. audit exits
# non-zero when the kernel lacks a check its profile demands or a service
# calls an operation whose guard it does not hold; over-privilege is a
# warning. audit-diff builds BASE in a temporary git worktree under /tmp
# (its own build/ and gen/; removed afterwards) and audits both trees with
# this tree's tool.

ifndef KEVLAR_AUDIT_MK
KEVLAR_AUDIT_MK := 1

CAPAUDIT      := $(PYTHON) tools/capaudit/capaudit.py
FORMAT        ?= text
AUDIT_FORMATS := text json dot
AUDIT_OUT     ?=
AUDIT_KTEST   := $(if $(filter 1,$(KTEST)),--ktest,)

ifneq ($(filter audit audit-diff,$(MAKECMDGOALS)),)
ifeq ($(filter $(FORMAT),$(AUDIT_FORMATS)),)
$(error FORMAT must be one of: $(AUDIT_FORMATS) (got '$(FORMAT)'))
endif
endif

.PHONY: audit audit-diff test-audit

audit: ## capability surface of PROFILE's kernel, verified in its objects (FORMAT=text, json or dot)
	$(Q)$(MAKE) --no-print-directory PROFILE=$(PROFILE) KTEST=$(KTEST) kernel >&2
	$(Q)$(CAPAUDIT) report --variant $(VARIANT) --format $(FORMAT) \
		$(if $(AUDIT_OUT),--output $(AUDIT_OUT))

audit-diff: ## how the capability surface changed since BASE=<git-ref>
	$(if $(BASE),,$(error audit-diff needs BASE=<git-ref>, e.g. make audit-diff BASE=HEAD~1))
	$(Q)$(CAPAUDIT) diff --base '$(BASE)' --profile $(PROFILE) $(AUDIT_KTEST) \
		--format $(if $(filter json,$(FORMAT)),json,text) $(if $(AUDIT_OUT),--output $(AUDIT_OUT))

test-audit: ## capability audit tests (build the fortress, performance and ludicrous kernels they audit)
	$(Q)$(PYTHON) -m pytest -q tests/audit
endif
