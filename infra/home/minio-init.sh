#!/bin/sh
# One-shot MinIO set-up (the compose `minio-init` service): the media bucket, its CORS rule, and a
# MinIO user for each AWS key the app and the worker hold, allowed on that bucket only.
#
# Why the users: boto3 signs S3 calls with the same key it uses for SQS/DynamoDB; at home S3 is
# MinIO (AWS_ENDPOINT_URL_S3), so MinIO must know that key. Idempotent: safe on every start.
set -eu

: "${SEEN_BUCKET:=seen-media}"
: "${MINIO_ROOT_USER:=seen-admin}"
: "${MINIO_URL:=http://minio:9000}"
SECRETS=${SECRETS_DIR:-/run/secrets}
CORS=${CORS_FILE:-/etc/seen/minio-cors.xml}
export MC_CONFIG_DIR="${MC_CONFIG_DIR:-/tmp/mc}"

# The value of `key` in an AWS credentials file ([default] profile or the first one).
credential() {
    sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -n 1 | tr -d '\r'
}

mc alias set home "$MINIO_URL" "$MINIO_ROOT_USER" "$(cat "$SECRETS/minio_root_password")" >/dev/null
mc mb --ignore-existing "home/$SEEN_BUCKET"
mc cors set "home/$SEEN_BUCKET" "$CORS"

policy="$MC_CONFIG_DIR/seen-bucket.json"
mkdir -p "$MC_CONFIG_DIR"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}]}\n' \
    "$SEEN_BUCKET" "$SEEN_BUCKET" > "$policy"
mc admin policy create home seen-bucket "$policy" >/dev/null

for file in "$SECRETS/aws_credentials" "$SECRETS/aws_worker_credentials"; do
    [ -r "$file" ] || continue
    key=$(credential "$file" aws_access_key_id)
    secret=$(credential "$file" aws_secret_access_key)
    case "$key" in
        "" | REPLACE*) echo "minio-init: $file has no key yet: skipped"; continue ;;
    esac
    mc admin user add home "$key" "$secret" >/dev/null
    mc admin policy attach home seen-bucket --user "$key" >/dev/null 2>&1 || true  # already attached
    echo "minio-init: bucket access for the key in $file"
done
touch "$MC_CONFIG_DIR/done"
echo "minio-init: bucket $SEEN_BUCKET ready"
