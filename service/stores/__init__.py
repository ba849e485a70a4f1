"""The two data stores behind small classes: Neo4j (the graph of patients' records), OpenSearch (chunks)."""
