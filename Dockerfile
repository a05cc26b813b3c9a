# The policygraph image: the wheel built from this checkout, installed into a slim Python, with the
# sample corpus. `docker compose up` (docker-compose.yml) runs it: build the corpus, load Neo4j,
# serve the API and the explorer on port 8000.
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
WORKDIR /data
COPY ingest /data/ingest
EXPOSE 8000
CMD ["sh", "-c", "policygraph build ingest --out /data/graph && policygraph load neo4j /data/graph --uri \"$NEO4J_URI\" && exec policygraph serve /data/graph --host 0.0.0.0 --port 8000 --neo4j \"$NEO4J_URI\""]
