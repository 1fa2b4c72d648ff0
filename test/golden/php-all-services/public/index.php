<?php

// The front controller. The image starts "php -S ... -t public public/index.php": this file is the
// built-in server's router, so every request lands here, paths with a dot (/health.json) included.
// To serve a static file from public/ as is, return false for it before the routing below.
// It listens on all interfaces inside the container; compose publishes it on 127.0.0.1 only (C04).

declare(strict_types=1);

require __DIR__ . '/../vendor/autoload.php';

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
[$status, $contentType, $body] = App\Service::handle(is_string($path) ? $path : '/');

http_response_code($status);
header('Content-Type: ' . $contentType);
echo $body;
