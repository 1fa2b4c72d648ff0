<?php

// The image's HEALTHCHECK (D12): exits 0 when the service answers its health path with 200, 1
// otherwise. It uses PHP itself, so the image needs no curl or wget.

declare(strict_types=1);

$url = 'http://127.0.0.1:8080' . '/healthz';
$context = stream_context_create(['http' => [
    'timeout' => 2,
    'follow_location' => 0,
    // A 500 is still an answer: read its status line instead of failing on it.
    'ignore_errors' => true,
]]);

// fopen + stream metadata rather than file_get_contents + $http_response_header: the status line
// without reading the body, and without the variable PHP 8.5 deprecates.
$stream = @fopen($url, 'rb', false, $context);
if ($stream === false) {
    exit(1);
}
$headers = stream_get_meta_data($stream)['wrapper_data'] ?? [];
fclose($stream);

$statusLine = is_array($headers) && is_string($headers[0] ?? null) ? $headers[0] : '';
exit(preg_match('#^HTTP/\S+ 200\b#', $statusLine) === 1 ? 0 : 1);
