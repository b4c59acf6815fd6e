-- wrk script: a small non-streaming chat completion, as an SDK would send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are terse."},' ..
  '{"role":"user","content":"Say hello in five words."}],"max_tokens":20}'
