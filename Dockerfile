# The image scripts/image.sh builds with umoci, for those with a registry:
#   docker build -t policy-check:0.2.0 .
#   docker run --rm -v "$PWD:/src" policy-check:0.2.0 compose.yaml
# FROM scratch: the static policy-check (POLICY_STATIC=ON, no shared library) and
# the rule packs; nothing else, so nothing else to patch.
FROM debian:12 AS build
WORKDIR /src/libpolicy
COPY . .
RUN ./scripts/deps.sh \
 && BUILD_DIR=/build POLICY_BUILD_TARGET=policy-check ./scripts/build.sh -DPOLICY_STATIC=ON \
      -DPOLICY_BUILD_TESTS=OFF \
 && strip /build/cli/policy-check \
 && mkdir -p /out/usr/bin /out/usr/share/libpolicy /out/usr/share/doc/policy-check /out/src \
 && cp /build/cli/policy-check /out/usr/bin/ \
 && cp -r rules /out/usr/share/libpolicy/rules \
 && cp LICENSE NOTICE /out/usr/share/doc/policy-check/

FROM scratch
COPY --from=build /out/ /
WORKDIR /src
USER 65534:65534
LABEL org.opencontainers.image.title="policy-check" \
      org.opencontainers.image.licenses="Apache-2.0"
ENTRYPOINT ["/usr/bin/policy-check"]
