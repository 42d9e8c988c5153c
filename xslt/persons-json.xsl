<?xml version="1.0" encoding="UTF-8"?>
<!-- The person index as JSON (see docs/indexes.md); input as for persons.xsl. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">
  <xsl:import href="lib/index-data.xsl"/>
  <xsl:variable name="st:kind" as="xs:string" select="'person'"/>
  <xsl:variable name="st:format" as="xs:string" select="'json'"/>
</xsl:stylesheet>
