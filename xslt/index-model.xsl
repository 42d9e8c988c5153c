<?xml version="1.0" encoding="UTF-8"?>
<!--
  An index's entries (lib/index.xsl), sorted, as an st:entries document: `build` computes
  each index with this and renders its page, JSON and CSV from the result.
  Input: as for persons.xsl. Parameters: kind (person | place | org | work); part, for
  an index computed in parts (build.py, indexes.py): 'frame' when the records given are
  one per entry and name (the entries' order and names, not their occurrences), with
  mentions, the number of mentions of the whole index; 'entries' when they are all the
  records of some entries (a run of the index's entries, rendered on their own).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/index.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:param name="kind" as="xs:string" select="'person'"/>
  <xsl:param name="part" as="xs:string" select="''"/>
  <xsl:param name="mentions" as="xs:integer?" select="()"/>
  <xsl:variable name="st:kind" as="xs:string" select="$kind"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="/">
    <st:entries kind="{$st:kind}">
      <xsl:if test="$part != ''">
        <xsl:attribute name="part" select="$part"/>
      </xsl:if>
      <xsl:if test="exists($mentions)">
        <xsl:attribute name="mentions" select="$mentions"/>
      </xsl:if>
      <xsl:sequence select="st:index-entries(.)"/>
    </st:entries>
  </xsl:template>

</xsl:stylesheet>
