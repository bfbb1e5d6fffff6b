using System.IO;
using Pluma.Testing;

namespace Pluma.FunctionalTests.Fcgi;

/// <summary>
/// The PHP application the FastCGI tests serve: a front controller behind WordPress's
/// .htaccess rules, reached through Debian's php8.2-fpm.conf (SetHandler to the unix socket),
/// through ProxyPassMatch over TCP and through ProxyPass with ProxyFCGIBackendType GENERIC.
/// </summary>
internal static class PhpSite
{
    /// <summary>conf-available/php8.2-fpm.conf as Debian's php8.2-fpm package installs it.</summary>
    public const string DebianPhpFpmConf = """
        # Redirect to local php-fpm if mod_php is not available
        <IfModule !mod_php8.c>
        <IfModule proxy_fcgi_module>
            # Enable http authorization headers
            <IfModule setenvif_module>
            SetEnvIfNoCase ^Authorization$ "(.+)" HTTP_AUTHORIZATION=$1
            </IfModule>

            # Using (?:pattern) instead of (pattern) is a small optimization that
            # avoid capturing the matching pattern (as $1) which isn't used here
            <FilesMatch ".+\.ph(?:ar|p|tml)$">
                SetHandler "proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost"
            </FilesMatch>
        # The default configuration works for most of the installation, however it could
        # be improved in various ways. One simple improvement is to not pass files that
        # doesn't exist to the handler as shown below, for more configuration examples
        # see https://wiki.apache.org/httpd/PHP-FPM
        #    <FilesMatch ".+\.ph(?:ar|p|tml)$">
        #        <If "-f %{REQUEST_FILENAME}">
        #            SetHandler "proxy:unix:/run/php/php8.2-fpm.sock|fcgi://localhost"
        #        </If>
        #    </FilesMatch>
            <FilesMatch ".+\.phps$">
                # Deny access to raw php sources by default
                # To re-enable it's recommended to enable access to the files
                # only in specific virtual host or directory
                Require all denied
            </FilesMatch>
            # Deny access to files without filename (e.g. '.php')
            <FilesMatch "^\.ph(?:ar|p|ps|tml)$">
                Require all denied
            </FilesMatch>
        </IfModule>
        </IfModule>
        """;

    private const string Index = """
        <?php
        $keys = ['SCRIPT_NAME', 'SCRIPT_FILENAME', 'PATH_INFO', 'PATH_TRANSLATED', 'PHP_SELF', 'REQUEST_URI',
            'QUERY_STRING', 'REQUEST_METHOD', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'HTTPS', 'REDIRECT_URL',
            'REDIRECT_STATUS', 'DOCUMENT_ROOT', 'GATEWAY_INTERFACE', 'SERVER_PROTOCOL', 'REQUEST_SCHEME',
            'HTTP_AUTHORIZATION', 'HTTP_X_TEST', 'HTTP_TRANSFER_ENCODING'];
        header('X-Script: ' . basename(__FILE__));
        foreach ($keys as $k) {
            echo $k, '=', array_key_exists($k, $_SERVER) ? var_export($_SERVER[$k], true) : '(unset)', "\n";
        }
        echo 'GET=', json_encode($_GET), "\n";
        echo 'POST=', json_encode($_POST), "\n";
        foreach ($_FILES as $name => $f) {
            echo 'FILE ', $name, '=', $f['name'], ' ', $f['type'], ' ', $f['size'], ' ', $f['error'], ' ',
                $f['error'] === 0 ? md5_file($f['tmp_name']) : '-', "\n";
        }
        if (($_GET['c'] ?? '') === 'input') {
            echo 'INPUT=', md5(file_get_contents('php://input')), "\n";
        }
        """;

    private const string Cases = """
        <?php
        switch ($_GET['c'] ?? '') {
        case 'stderr':
            error_log('boom from php');
            error_log("second\nline");
            echo "logged\n";
            break;
        case 'status':
            header('Status: 418 Short And Stout');
            echo "teapot\n";
            break;
        case 'redirect':
            header('Location: /app/static.txt');
            break;
        case 'big':
            echo str_repeat("0123456789abcdef", 20000);
            break;
        case 'cookie':
            setcookie('a', '1');
            setcookie('b', '2');
            echo "cookies\n";
            break;
        case 'kill':
            echo str_repeat('x', 100000);
            flush();
            // Let the first part reach Pluma before the worker dies: killed at once, php-fpm
            // sometimes had sent nothing yet and the answer was a 503, not a cut response.
            usleep(300000);
            posix_kill(getmypid(), 9);
            break;
        }
        """;

    private const string Htaccess = """
        <IfModule mod_rewrite.c>
        RewriteEngine On
        RewriteBase /app/
        RewriteRule ^index\.php$ - [L]
        RewriteCond %{REQUEST_FILENAME} !-f
        RewriteCond %{REQUEST_FILENAME} !-d
        RewriteRule . /app/index.php [L]
        </IfModule>
        """;

    /// <summary>Writes the application into <paramref name="tree"/> and its configuration into apache2.conf.</summary>
    public static void Install(TempConfTree tree, PhpFpm fpm, string extraConfig = "")
    {
        string app = Path.Combine(tree.DocumentRoot, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "index.php"), Index);
        File.WriteAllText(Path.Combine(app, "cases.php"), Cases);
        File.WriteAllText(Path.Combine(app, "source.phps"), "<?php echo 'secret';\n");
        File.WriteAllText(Path.Combine(app, ".php"), "<?php echo 'nameless';\n");
        File.WriteAllText(Path.Combine(app, "static.txt"), "static file\n");
        File.WriteAllText(Path.Combine(app, ".htaccess"), Htaccess);
        string root = tree.DocumentRoot;
        tree.AppendToMainConfig(
            "Include mods-available/rewrite.load\n" +
            "Include mods-available/proxy.load\n" +
            "Include mods-available/proxy_fcgi.load\n" +
            $"<Directory {app}>\n  AllowOverride All\n</Directory>\n" +
            DebianPhpFpmConf.Replace("/run/php/php8.2-fpm.sock", fpm.SocketPath, StringComparison.Ordinal) + "\n" +
            $"ProxyPassMatch ^/tcp/(.*\\.php(/.*)?)$ fcgi://127.0.0.1:{fpm.Port}{root}/app/$1\n" +
            $"ProxyPass /gen/ fcgi://127.0.0.1:{fpm.Port}{root}/app/\n" +
            "<Location /gen/>\n  ProxyFCGIBackendType GENERIC\n</Location>\n" +
            extraConfig);
    }
}
