#!/usr/bin/env bash
# A real curl session against Genesys Web Services (gwssim, or a recording proxy in front of it).
#
#   gwssim/curl_session.sh [BASE_URL] [--users N]
#
# BASE_URL defaults to $WSDOC_URL, which `wsdoc session` sets to its recording proxy:
#   wsdoc session --upstream http://127.0.0.1:8090 -- bash gwssim/curl_session.sh
#
# Echoes every curl command before running it, then the response body. Covers the three
# requests of the documentation's "Making a Request" page, the filters, the directory (services,
# contacts, T-Server settings of devices), and the operation catalogue for N users (default 5):
# agent states, do-not-disturb, forwarding, calls between users and to external numbers,
# attached data, transfers, conferences, deliberate errors (among them an operation on an
# unregistered device, which the server refuses with an ErrorMessage notification).
#
# Only BASE_URL is contacted. Extra curl options come from $CURL_OPTS (e.g. "--cacert x.pem").
# JSON is read with $PYTHON (default python3). ksippo has an empty password; the other users'
# password is $GWSSIM_PASSWORD (default "password").
# $CURL_SESSION_PACE (seconds, default 0) pauses after each operation, so a notification
# listener sees each operation's events before the next one starts.
# Exit status: non-zero only when curl itself fails (connection, TLS...), never for API errors.

set -u -o pipefail

usage() { echo "usage: $0 [BASE_URL (default: \$WSDOC_URL)] [--users N]" >&2; exit 2; }
case ${1:-} in
  http://*|https://*) BASE=${1%/}; shift ;;
  *) [ -n "${WSDOC_URL:-}" ] || usage; BASE=${WSDOC_URL%/} ;;
esac
USERS=5
while [ $# -gt 0 ]; do
  case $1 in
    --users) [ $# -ge 2 ] || usage; USERS=$2; shift 2 ;;
    *) usage ;;
  esac
done
case $USERS in ''|*[!0-9]*) usage ;; esac
[ "$USERS" -ge 1 ] || usage

PY=${PYTHON:-python3}
PASSWORD=${GWSSIM_PASSWORD:-password}
read -r -a EXTRA <<< "${CURL_OPTS:-}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REQUESTS=0
DIALS=0
API_ERRORS=0
BODY="$WORK/body"

# show ARGS...: print the curl command as one would type it (single quotes where needed).
show() {
  local line="+ curl" arg
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
      line+=" $arg"
    else
      line+=" '${arg//\'/\'\\\'\'}'"
    fi
  done
  printf '%s\n' "$line"
}

# run_curl ARGS...: echo the command, run it, stop the session if curl itself fails.
run_curl() {
  show "$@"
  local rc=0
  curl "$@" -o "$BODY" -D "$WORK/headers" || rc=$?
  REQUESTS=$((REQUESTS + 1))
  if [ $rc -ne 0 ]; then
    echo "curl_session: curl failed with exit status $rc" >&2
    exit $rc
  fi
  cat "$BODY"; echo
  if ! grep -q '"statusCode":0[,}]' "$BODY"; then API_ERRORS=$((API_ERRORS + 1)); fi
}

jar() { echo "$WORK/$1.jar"; }
password_of() { if [ "$1" = ksippo ]; then echo ""; else echo "$PASSWORD"; fi; }
token_of() { cat "$WORK/$1.token" 2>/dev/null || true; }

remember_token() {  # the CSRF token of the user's session, from the last response headers
  local token
  token=$(tr -d '\r' < "$WORK/headers" | awk 'tolower($1) == "x-csrf-token:" {print $2}')
  if [ -n "$token" ]; then echo "$token" > "$WORK/$1.token"; fi
}

# get USER PATH: GET in USER's session (Basic credentials + cookie jar).
get() {
  local user=$1 path=$2
  run_curl -sS "${EXTRA[@]}" -u "$user:$(password_of "$user")" -b "$(jar "$user")" \
    -c "$(jar "$user")" "$BASE$path"
  remember_token "$user"
}

# post USER PATH JSON: POST an operation with the session's CSRF token.
post() {
  local user=$1 path=$2 json=$3
  run_curl -sS "${EXTRA[@]}" -X POST -H "Content-Type: application/json" \
    -H "X-CSRF-TOKEN: $(token_of "$user")" -d "$json" -u "$user:$(password_of "$user")" \
    -b "$(jar "$user")" -c "$(jar "$user")" "$BASE$path"
  sleep "${CURL_SESSION_PACE:-0}"
}

# read_json MODE [ARG]: pick a value out of the last response body.
read_json() {
  "$PY" - "$BODY" "$@" <<'PYEOF'
import json
import sys

try:
    body = json.load(open(sys.argv[1]))
except ValueError:  # not JSON (e.g. a proxy's 502 page): nothing to pick, the caller says so
    body = {}
if not isinstance(body, dict):
    body = {}
mode, arg = sys.argv[2], (sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None)
if mode == "users":
    for user in body.get("users", []):
        print(user["id"], user["userName"])
elif mode == "device":
    devices = body.get("user", {}).get("devices", [])
    print(f"{devices[0]['id']} {devices[0]['phoneNumber']}" if devices else "")
elif mode == "last-call":
    calls = [c for c in body.get("calls", []) if arg is None or c.get("state") == arg]
    print(calls[-1]["id"] if calls else "")
elif mode == "call-ops":  # how to end each call: a ringing call is cleared, not hung up
    for call in body.get("calls", []):
        print(call["id"], "ClearCall" if call.get("state") == "Ringing" else "Hangup")
elif mode == "service":
    print(next((s["id"] for s in body.get("services", []) if s.get("type") == arg), ""))
elif mode == "inactive-device":
    print(next((d["id"] for d in body.get("devices", []) if d["deviceState"] == "Inactive"), ""))
PYEOF
}

# Per-user facts, by index into the first N users of the directory.
declare -a NAME ID DEVICE NUMBER

learn_user() {  # learn_user INDEX: open the user's session and read their first device
  local i=$1 user=${NAME[$1]}
  get "$user" "/api/v2/me?subresources=devices"
  read -r DEVICE[i] NUMBER[i] <<< "$(read_json device)"
}

call_op() {  # call_op INDEX CALL_ID JSON
  post "${NAME[$1]}" "/api/v2/me/calls/$2" "$3"
}

last_call() {  # last_call INDEX [STATE]: CALL = id of the user's newest call (in STATE)
  get "${NAME[$1]}" "/api/v2/me/calls?fields=id,state,callType"
  CALL=$(read_json last-call "${2:-}")
}

dial() {  # dial INDEX NUMBER [USERDATA_JSON]
  local data=${3:-}
  local json="{\"operationName\":\"Dial\",\"destination\":{\"phoneNumber\":\"$2\"}${data:+,\"userData\":$data}}"
  post "${NAME[$1]}" "/api/v2/me/devices/${DEVICE[$1]}/calls" "$json"
  if grep -q '"statusCode":0' "$BODY"; then DIALS=$((DIALS + 1)); fi
}

answer() {  # answer INDEX: answer the user's ringing call
  last_call "$1" Ringing
  if [ -n "$CALL" ]; then call_op "$1" "$CALL" '{"operationName":"Answer"}'; fi
}

hang_up_all() {  # hang_up_all INDEX: release every call the user still has
  local call op
  get "${NAME[$1]}" "/api/v2/me/calls?fields=id,state"
  while read -r call op; do
    [ -n "$call" ] || continue
    call_op "$1" "$call" "{\"operationName\":\"$op\"}"
  done <<< "$(read_json call-ops)"
}

echo "== The documentation's first requests"
run_curl -sS "${EXTRA[@]}" "$BASE/api/v2/diagnostics/version"
run_curl -sS "${EXTRA[@]}" -u ksippo: -c "$(jar ksippo)" -b "$(jar ksippo)" "$BASE/api/v2/me"
remember_token ksippo
post ksippo /api/v2/me '{"operationName":"StartContactCenterSession","channels":["voice"]}'
run_curl -sS "${EXTRA[@]}" -X POST -H "Content-Type: application/json" \
  -d '{"operationName":"NotReady"}' -u ksippo: -b "$(jar ksippo)" -c "$(jar ksippo)" \
  -H "X-CSRF-TOKEN: $(token_of ksippo)" "$BASE/api/v2/me/channels/voice"

echo "== Users and filters"
get ksippo "/api/v2/users?fields=id,userName&limit=$USERS"
count=0
while read -r uid uname; do
  [ -n "$uid" ] || continue
  ID[count]=$uid; NAME[count]=$uname; count=$((count + 1))
done <<< "$(read_json users)"
if [ "$count" -eq 0 ]; then echo "curl_session: no users listed" >&2; exit 0; fi
N=$count
get ksippo /api/v2/users
get ksippo "/api/v2/users?fields=*"
get ksippo "/api/v2/users?userName=ksippo"
get ksippo "/api/v2/users?roles=ROLE_SUPERVISOR&fields=id,userName,roles"
get ksippo "/api/v2/users?subresources=skills&fields=id,userName&skills.name=Sales"
get ksippo "/api/v2/users?fields=id,userName&sortBy=userName&order=Descending&limit=3"
for ((i = 0; i < N; i++)); do
  get ksippo "/api/v2/users/${ID[i]}"
  get ksippo "/api/v2/users/${ID[i]}?subresources=skills,devices"
  get ksippo "/api/v2/users/${ID[i]}/skills"
  get ksippo "/api/v2/users/${ID[i]}/skills?fields=*"
done
get ksippo "/api/v2/me?subresources=*"
get ksippo "/api/v2/me?subresources=skills,devices,calls,channels"
get ksippo "/api/v2/me?fields=id,userName"
get ksippo /api/v2/me/devices
get ksippo "/api/v2/me/devices?fields=*"
get ksippo "/api/v2/me/devices?fields=id,phoneNumber"
get ksippo /api/v2/me/skills
get ksippo "/api/v2/me/skills?fields=*"
get ksippo /api/v2/me/channels/voice
get ksippo "/api/v2/me?subresources=features,devices,channels"

echo "== The directory: services, contacts, T-Server settings of devices"
get ksippo /api/v2/services
get ksippo "/api/v2/services?fields=*"
voice_service=$(read_json service Voice)
[ -z "$voice_service" ] || get ksippo "/api/v2/services/$voice_service"
get ksippo "/api/v2/services?fields=id,name,state&state=Active"
get ksippo "/api/v2/contacts?fields=id,name,type&sortBy=name&limit=$USERS"
for ((i = 0; i < N; i++)); do
  get ksippo "/api/v2/contacts/${ID[i]}?type=User"
done
echo "== A request riding the session cookie alone"
run_curl -sS "${EXTRA[@]}" -b "$(jar ksippo)" "$BASE/api/v2/me/calls"

echo "== Agent states, do-not-disturb and forwarding"
for ((i = 0; i < N; i++)); do
  learn_user "$i"
  if [ "$i" -eq 1 ]; then
    channels='["voice","chat"]'  # partial success (chat is Interaction Server's): statusCode 7
  else
    channels='["voice"]'
  fi
  [ "$i" -eq 0 ] || post "${NAME[i]}" /api/v2/me \
    "{\"operationName\":\"StartContactCenterSession\",\"channels\":$channels}"
  get "${NAME[i]}" /api/v2/me/devices/"${DEVICE[i]}"
  get "${NAME[i]}" "/api/v2/me/devices/${DEVICE[i]}/settings/tserver"
  get ksippo "/api/v2/devices/${DEVICE[i]}/settings/tserver"
  post "${NAME[i]}" /api/v2/me/channels/voice '{"operationName":"Ready"}'
  post "${NAME[i]}" /api/v2/me/channels/voice '{"operationName":"NotReady"}'
  post "${NAME[i]}" /api/v2/me/channels/voice '{"operationName":"AfterCallWork"}'
  post "${NAME[i]}" /api/v2/me/channels/voice '{"operationName":"AuxWork"}'
  post "${NAME[i]}" /api/v2/me '{"operationName":"NotReady"}'
  post "${NAME[i]}" /api/v2/me/channels/voice '{"operationName":"Ready","workmode":"ManualIn"}'
  post "${NAME[i]}" "/api/v2/me/devices/${DEVICE[i]}" '{"operationName":"DoNotDisturbOn"}'
  post "${NAME[i]}" "/api/v2/me/devices/${DEVICE[i]}" '{"operationName":"DoNotDisturbOff"}'
  post "${NAME[i]}" "/api/v2/me/devices/${DEVICE[i]}" \
    '{"operationName":"ForwardCallsOn","destination":{"phoneNumber":"5999"}}'
  post "${NAME[i]}" "/api/v2/me/devices/${DEVICE[i]}" '{"operationName":"ForwardCallsOff"}'
done
A=0; B=$((1 % N)); C=$((2 % N)); D=$((3 % N)); E=$((4 % N))

echo "== Call between two users: hold, retrieve, attached data, DTMF"
dial $A "${NUMBER[B]}" '{"CustomerSegment":"Gold","OrderId":"A-1001"}'
last_call $A; caller=$CALL
answer $B
last_call $B; callee=$CALL
call_op $B "$callee" '{"operationName":"Hold"}'
call_op $B "$callee" '{"operationName":"Retrieve"}'
call_op $A "$caller" '{"operationName":"AttachUserData","userData":{"Disposition":"Pending"}}'
call_op $B "$callee" '{"operationName":"UpdateUserData","userData":{"Disposition":"Resolved"}}'
call_op $A "$caller" '{"operationName":"DeleteUserDataPair","key":"OrderId"}'
call_op $A "$caller" '{"operationName":"SendDtmf","dtmfDigits":"1234#"}'
get "${NAME[A]}" "/api/v2/me/calls/$caller"
call_op $B "$callee" '{"operationName":"DeleteUserData"}'
call_op $B "$callee" '{"operationName":"Hangup"}'

echo "== External call, consultation, swap and transfer"
dial $B 14155550123
last_call $B; original=$CALL
call_op $B "$original" "{\"operationName\":\"InitiateTransfer\",\"destination\":{\"phoneNumber\":\"${NUMBER[C]}\"}}"
last_call $B; consult=$CALL
answer $C
call_op $B "$consult" '{"operationName":"SwapCalls"}'
call_op $B "$consult" '{"operationName":"SwapCalls"}'
call_op $B "$consult" '{"operationName":"CompleteTransfer"}'
hang_up_all $C

echo "== Single-step transfer"
dial $C 14155550124 '{"Language":"Spanish"}'
last_call $C
call_op $C "$CALL" "{\"operationName\":\"SingleStepTransfer\",\"destination\":{\"phoneNumber\":\"${NUMBER[D]}\"}}"
answer $D
hang_up_all $D

echo "== Conference"
dial $D "${NUMBER[E]}"
answer $E
last_call $E; conf=$CALL
call_op $E "$conf" '{"operationName":"InitiateConference","destination":{"phoneNumber":"14155550125"}}'
last_call $E Established
call_op $E "$CALL" '{"operationName":"CompleteConference"}'
call_op $E "$conf" '{"operationName":"SingleStepConference","destination":{"phoneNumber":"14155550126"}}'
get "${NAME[E]}" "/api/v2/me/calls/$conf"
call_op $E "$conf" '{"operationName":"ClearCall"}'

echo "== External call, hang up"
dial $E 18005550199
last_call $E
call_op $E "$CALL" '{"operationName":"Hangup"}'

echo "== Calling a user who is on do-not-disturb (the call is released: busy)"
post "${NAME[B]}" "/api/v2/me/devices/${DEVICE[B]}" '{"operationName":"DoNotDisturbOn"}'
dial $A "${NUMBER[B]}"
get "${NAME[A]}" "/api/v2/me/calls"
post "${NAME[B]}" "/api/v2/me/devices/${DEVICE[B]}" '{"operationName":"DoNotDisturbOff"}'

echo "== An operation the device cannot perform (its DN is not registered): HTTP 500, ErrorMessage"
get ksippo "/api/v2/me/devices?fields=*"
inactive=$(read_json inactive-device)
if [ -n "$inactive" ]; then
  post ksippo "/api/v2/me/devices/$inactive" '{"operationName":"DoNotDisturbOn"}'
fi

echo "== Deliberate errors"
post ksippo "/api/v2/me/devices/${DEVICE[A]}/calls" '{"operationName":"Dial"}'
post ksippo "/api/v2/me/devices/${DEVICE[A]}/calls" '{"operationName":"Dial","destination":{}}'
post ksippo "/api/v2/me/devices/${DEVICE[A]}" '{"operationName":"ForwardCallsOn"}'
dial $A 14155550127
last_call $A; wrong_state=$CALL
call_op $A "$wrong_state" '{"operationName":"Retrieve"}'
call_op $A "$wrong_state" '{"operationName":"Answer"}'
call_op $A "$wrong_state" '{"operationName":"AttachUserData"}'
call_op $A "$wrong_state" '{"operationName":"DeleteUserDataPair"}'
call_op $A "$wrong_state" '{"operationName":"SetMuteOn"}'
call_op $A "$wrong_state" '{"operationName":"Fly"}'
call_op $A "$wrong_state" '{"operationName":"Hangup"}'
call_op $A 000000000000000000000000000000XX '{"operationName":"Answer"}'
post ksippo /api/v2/me/devices/00000000-0000-4000-8000-000000000000/calls \
  '{"operationName":"Dial","destination":{"phoneNumber":"5002"}}'
post ksippo /api/v2/me/channels/voice '{"operationName":'
post ksippo /api/v2/me/channels/voice '{"operationName":"Ready","workmode":"Sideways"}'
get ksippo /api/v2/users/00000000000000000000000000000000
get ksippo "/api/v2/users?limit=0"
get ksippo /api/v2/no/such/resource
run_curl -sS "${EXTRA[@]}" -X POST -H "Content-Type: application/json" \
  -d '{"operationName":"Ready"}' -u ksippo: -b "$(jar ksippo)" "$BASE/api/v2/me/channels/voice"
run_curl -sS "${EXTRA[@]}" -u ksippo:wrong "$BASE/api/v2/me"
run_curl -sS "${EXTRA[@]}" "$BASE/api/v2/me"

echo "== Logging out"
for ((i = N - 1; i >= 0; i--)); do
  hang_up_all "$i"
  post "${NAME[i]}" /api/v2/me '{"operationName":"EndContactCenterSession"}'
done
echo "== The ended session's cookie no longer works; a new session is not logged in"
run_curl -sS "${EXTRA[@]}" -b "$(jar ksippo)" "$BASE/api/v2/me"
get ksippo /api/v2/me
post ksippo /api/v2/me/channels/voice '{"operationName":"Ready"}'

echo "curl_session: done: $N users, $REQUESTS requests, $DIALS calls dialled, $API_ERRORS API errors"
