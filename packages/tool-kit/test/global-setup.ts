// Placeholder: replaced by the Redis launcher (starts redis-server on a free port, or uses REDIS_URL).
export default function setup(): void {}
