<?xml version="1.0" encoding="UTF-8"?>
<!--
  The names a document mentions, as small records: what the indexes are built from.

  One st:mentions element per TEI document (its docid and title), holding one st:m per
  naming element in its text that refers to an index entry: kind, entry id, anchor in the
  reading edition, the name as written. A name that resolves in the authority files keeps
  only the entity's id (@ref; the index looks it up again); one that resolves inside its
  own document carries a copy of that entity; an unresolved one carries its sort keys.

  Building the indexes from these records instead of the documents lets `build` read
  each document once and keep only its records, on disk, then compute each index from
  them a run of entries at a time (build.py, indexes.py), so that time stays linear in
  the corpus and memory does not grow with it.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="occurrence.xsl"/>

  <!-- The records of one TEI document, named $id (its docid). -->
  <xsl:function name="st:mentions" as="element(st:mentions)">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="id" as="xs:string"/>
    <st:mentions doc="{$id}" title="{st:doc-title($tei)}" short="{st:short-title($tei)}">
      <xsl:for-each select="$tei//tei:text//(tei:persName | tei:placeName | tei:orgName
          | tei:name | tei:rs | tei:title[@ref])">
        <xsl:variable name="kind" select="st:kind(.)"/>
        <xsl:variable name="entry" select="st:entry-id(.)"/>
        <xsl:if test="$kind != '' and exists($entry)">
          <xsl:variable name="entity" select="st:entity(.)"/>
          <xsl:variable name="registered" select="exists($entity) and exists($authority)
              and root($entity) is $authority"/>
          <xsl:variable name="texts" select="st:block-texts(st:block(.))"/>
          <st:m kind="{$kind}" entry="{$entry}" text="{st:plain(.)}"
              anchor="{(@xml:id, $id || '-n' || accumulator-before('st:name-count'))[1]}"
              where="{st:where(ancestor::tei:div[1])}" before="{st:context(., 'before', $texts)}"
              after="{st:context(., 'after', $texts)}">
            <xsl:choose>
              <xsl:when test="$registered">
                <xsl:attribute name="ref" select="$entity/@xml:id"/>
              </xsl:when>
              <xsl:when test="$entity">
                <xsl:copy-of select="$entity"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:attribute name="sort-key" select="st:sort-key((), .)"/>
                <xsl:attribute name="surname" select="st:surname((), .)"/>
              </xsl:otherwise>
            </xsl:choose>
          </st:m>
        </xsl:if>
      </xsl:for-each>
    </st:mentions>
  </xsl:function>

  <!-- The authority entry of a record (the first record of an index entry names it). -->
  <xsl:function name="st:record-entity" as="element()?">
    <xsl:param name="m" as="element(st:m)"/>
    <xsl:sequence select="if ($m/@ref) then ($authority ! key('st:entity', string($m/@ref), .))[1]
        else $m/*[1]"/>
  </xsl:function>

</xsl:stylesheet>
