<?php

declare(strict_types=1);

namespace App;

/**
 * The service's routes: replace them with your own (or a framework). Loaded through Composer's
 * class map (vendor/autoload.php).
 */
final class Service
{
    public const NAME = 'shop';
    public const HEALTH_PATH = '/healthz';

    /**
     * @return array{int, string, string} status, content type and body
     */
    public static function handle(string $path): array
    {
        if ($path === self::HEALTH_PATH) {
            return [200, 'text/plain; charset=utf-8', "ok\n"];
        }

        return [200, 'application/json', json_encode(['service' => self::NAME], JSON_THROW_ON_ERROR) . "\n"];
    }
}
