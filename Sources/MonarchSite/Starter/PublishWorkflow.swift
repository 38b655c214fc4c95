/// The CI workflows `monarch init --ci HOST` writes: in a Debian 12 container, get monarch (a
/// `make dist` tarball), install the Debian packages its `debian-packages.txt` lists that are
/// missing, build into `public/`, and hand `public/` to the host's Pages service.
/// docs/publishing.md explains each; PublishWorkflowTests runs the scripts.
public enum PublishWorkflow {
    public enum Host: String, CaseIterable, Sendable {
        case github, gitlab, codeberg

        /// Where the host looks for the workflow.
        public var path: String {
            switch self {
            case .github: ".github/workflows/publish.yml"
            case .gitlab: ".gitlab-ci.yml"
            case .codeberg: ".woodpecker/publish.yml"
            }
        }
    }

    /// Where the workflow downloads monarch when the site does not carry `monarch.tar.gz`.
    public static let placeholderURL = "https://example.org/monarch-linux-x86_64.tar.gz"

    /// The build, the same on every host: `MONARCH_URL` is where monarch is downloaded from.
    public static let buildScript = """
        set -eu
        # monarch: the monarch.tar.gz committed beside the site, else the one at MONARCH_URL.
        if [ ! -f monarch.tar.gz ]; then
          command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl ca-certificates; }
          curl -fsSL "$MONARCH_URL" -o monarch.tar.gz
        fi
        rm -rf .monarch && mkdir .monarch && tar -xzf monarch.tar.gz -C .monarch --strip-components=1
        # The Debian packages monarch needs (libraries, fonts for pamphlets): only the missing ones.
        missing=""
        for p in $(cat .monarch/debian-packages.txt); do
          dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
        done
        if [ -n "$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; fi
        .monarch/monarch build --site . --output public
        """

    /// Codeberg Pages serves a repository's `pages` branch: `public/` is pushed there, with the
    /// token in the `codeberg_token` secret (`PAGES_REMOTE` replaces the address, for tests).
    public static let codebergPublishScript = """
        set -eu
        command -v git >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates; }
        remote="${PAGES_REMOTE:-https://$CI_REPO_OWNER:$CODEBERG_TOKEN@codeberg.org/$CI_REPO.git}"
        cd public
        git init -q
        git checkout -q -b pages
        git add -A
        git -c user.name=monarch -c user.email=monarch@invalid commit -q -m "Publish the site"
        git push -q -f "$remote" pages
        """

    static func indented(_ script: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return script.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
    }

    public static func text(for host: Host) -> String {
        switch host {
        case .github:
            return """
                # Builds the site with monarch at every push to main and publishes it on GitHub Pages.
                # Once: in the repository's Settings > Pages, set "Source" to "GitHub Actions".
                # monarch comes from MONARCH_URL (a tarball made by Monarch's `make dist`), unless
                # this repository holds one as monarch.tar.gz. See Monarch's docs/publishing.md.
                name: Publish
                on:
                  push:
                    branches: [main]
                  workflow_dispatch:
                permissions:
                  contents: read
                  pages: write
                  id-token: write
                concurrency:
                  group: pages
                  cancel-in-progress: true
                env:
                  MONARCH_URL: \(placeholderURL)
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    container: debian:bookworm
                    steps:
                      - uses: actions/checkout@v4
                      - name: Install monarch and the Debian packages it needs, and build
                        run: |
                \(indented(buildScript, by: 10))
                      - uses: actions/upload-pages-artifact@v3
                        with:
                          path: public
                  deploy:
                    needs: build
                    runs-on: ubuntu-latest
                    environment:
                      name: github-pages
                      url: ${{ steps.deployment.outputs.page_url }}
                    steps:
                      - id: deployment
                        uses: actions/deploy-pages@v4

                """
        case .gitlab:
            return """
                # Builds the site with monarch at every push to the default branch and publishes it on
                # GitLab Pages (the job must be called `pages` and leave the site in `public/`).
                # monarch comes from MONARCH_URL (a tarball made by Monarch's `make dist`), unless
                # this repository holds one as monarch.tar.gz. See Monarch's docs/publishing.md.
                pages:
                  image: debian:bookworm
                  variables:
                    MONARCH_URL: \(placeholderURL)
                  script:
                    - |
                \(indented(buildScript, by: 6))
                  artifacts:
                    paths:
                      - public
                  rules:
                    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

                """
        case .codeberg:
            // Woodpecker replaces $NAME in the file itself before the shell sees it; $$ is a $.
            let build = buildScript.replacingOccurrences(of: "$", with: "$$")
            let publish = codebergPublishScript.replacingOccurrences(of: "$", with: "$$")
            return """
                # Builds the site with monarch at every push to main, on Codeberg's CI (Woodpecker), and
                # publishes it with Codeberg Pages by pushing it to this repository's `pages` branch.
                # Once: ask for Codeberg CI at https://codeberg.org/Codeberg-CI/request-access, enable
                # this repository there, and add an access token that can write to it as the secret
                # `codeberg_token`. monarch comes from MONARCH_URL (a tarball made by Monarch's
                # `make dist`), unless this repository holds one as monarch.tar.gz.
                # See Monarch's docs/publishing.md.
                when:
                  - event: [push, manual]
                    branch: main
                steps:
                  - name: build
                    image: debian:bookworm
                    environment:
                      MONARCH_URL: \(placeholderURL)
                    commands:
                      - |
                \(indented(build, by: 10))
                  - name: publish
                    image: debian:bookworm
                    environment:
                      CODEBERG_TOKEN:
                        from_secret: codeberg_token
                    commands:
                      - |
                \(indented(publish, by: 10))

                """
        }
    }
}
