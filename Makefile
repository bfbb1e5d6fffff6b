# Thin wrappers over the dotnet CLI (an httpd admin expects make targets).
#   make        build bin/pluma (NativeAOT) and the admin-tool names beside it
#   make run    build, then run Pluma in the foreground on the bundled conf/ tree
#   make test   build, then run every test suite; ends with "N passed, M failed"
#   make jit    build the same program under the JIT (development)
#   make install / make uninstall   see README (DESTDIR, PREFIX, PORT honoured)

DOTNET ?= dotnet
RID    ?= linux-x64
TOOLS  := apachectl apache2ctl a2enmod a2dismod a2ensite a2dissite a2enconf a2disconf a2query
SRC    := $(shell find src -name '*.cs' -o -name '*.csproj' -o -path '*/Status/Live/live.*' | grep -v '/obj/' | grep -v '/bin/') Directory.Build.props Directory.Packages.props

.PHONY: all run test jit clean format install uninstall

all: bin/pluma

bin/pluma: $(SRC)
	$(DOTNET) publish src/Pluma/Pluma.csproj -c Release -r $(RID) -o artifacts/publish --nologo -v quiet
	mkdir -p bin
	cp artifacts/publish/pluma bin/pluma.new && mv -f bin/pluma.new bin/pluma
	for t in $(TOOLS); do ln -sf pluma bin/$$t; done

run: bin/pluma
	bin/pluma -D FOREGROUND

test: bin/pluma
	bash scripts/test.sh

jit:
	$(DOTNET) build src/Pluma/Pluma.csproj -c Debug --nologo -v quiet

install: bin/pluma
	sh scripts/install.sh

uninstall:
	sh scripts/uninstall.sh

format:
	$(DOTNET) format Pluma.slnx

clean:
	rm -rf bin artifacts var
	$(DOTNET) clean Pluma.slnx --nologo -v quiet
