# The Lambda artifact of one function module, for `sam build` (template.yaml: each function's Metadata says
# BuildMethod: makefile and its CodeUri is its module folder, whose Makefile includes this file and names MODULE).
# SAM runs `make --makefile <module>/Makefile build-<LogicalId>` with ARTIFACTS_DIR set. The module's shaded jar is
# rebuilt with the project's Maven (./mvnw, tests skipped: `./pipeline test` runs them) when any source or POM it is
# made from is newer than it, and then unpacked into ARTIFACTS_DIR, the layout Lambda's Java runtime loads.
ROOT := $(abspath $(dir $(abspath $(lastword $(MAKEFILE_LIST))))..)
JAR := $(ROOT)/$(MODULE)/target/$(MODULE).jar
SOURCES := $(shell find $(ROOT)/$(MODULE)/src/main $(ROOT)/core/src/main $(ROOT)/aws-support/src/main -type f) \
	$(ROOT)/pom.xml $(ROOT)/$(MODULE)/pom.xml $(ROOT)/core/pom.xml $(ROOT)/aws-support/pom.xml

$(JAR): $(SOURCES)
	cd "$(ROOT)" && ./mvnw -B -ntp -q -Dstyle.color=never -DskipTests -Dcheckstyle.skip package -pl $(MODULE) -am

.PHONY: lambda-artifact
lambda-artifact: $(JAR)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run this through sam build" >&2; exit 2; }
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && jar xf "$(JAR)"
