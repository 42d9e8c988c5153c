<?xml version="1.0" encoding="UTF-8"?>
<!--
  The names a document mentions, as small records: what the indexes are built from.

  One st:mentions element per TEI document (its docid and title), holding one st:m per
  mention in its text that refers to an index entry: kind, entry id, anchor in the
  reading edition, the name as written, and where it is: the entry or section and a few
  words on either side (occurrence.xsl; for a speech, its first words). Mentions are the naming elements (persName,
  placeName, orgName, name, rs, title with @ref; @corresp where @ref is absent) and the
  speeches of a play (sp/@who, one record per person speaking). A mention that resolves
  in the authority files keeps only the entity's id (@ref; the index looks it up again);
  one that resolves in its own document's register (particDesc, listPerson in back or
  standOff, castList roles) carries a copy of that entity in its first record of the
  document only; an unresolved one carries its sort keys.

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
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:import href="occurrence.xsl"/>

  <!-- The records of one TEI document, named $id (its docid). -->
  <xsl:function name="st:mentions" as="element(st:mentions)">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="records" as="element(st:m)*">
      <xsl:apply-templates select="$tei/tei:text//(tei:persName | tei:placeName | tei:orgName
          | tei:name | tei:rs | tei:title[@ref] | tei:sp[@who])" mode="st:mention">
        <xsl:with-param name="id" select="$id" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <!-- The first record of each in-document entity carries its copy (st:record-entity). -->
    <xsl:variable name="first" as="map(xs:string, xs:string)">
      <xsl:map>
        <xsl:for-each-group select="$records[@local]" group-by="string(@entry)">
          <xsl:map-entry key="string(current-grouping-key())" select="generate-id(current-group()[1])"/>
        </xsl:for-each-group>
      </xsl:map>
    </xsl:variable>
    <st:mentions doc="{$id}" title="{st:doc-title($tei)}" short="{st:short-title($tei)}">
      <xsl:for-each select="$records">
        <st:m>
          <xsl:sequence select="@* except @local"/>
          <xsl:if test="@local and $first(string(@entry)) = generate-id(.)">
            <xsl:sequence select="key('st:entity', string(@local), $tei/root())[1]"/>
          </xsl:if>
        </st:m>
      </xsl:for-each>
    </st:mentions>
  </xsl:function>

  <xsl:mode name="st:mention" on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="*" mode="st:mention">
    <xsl:param name="id" as="xs:string" tunnel="yes"/>
    <xsl:variable name="kind" select="st:kind(.)"/>
    <xsl:variable name="entry" select="st:entry-id(.)"/>
    <xsl:if test="$kind != '' and exists($entry)">
      <xsl:variable name="texts" select="st:block-texts(st:block(.))"/>
      <xsl:call-template name="st:record">
        <xsl:with-param name="entity" select="st:entity(.)"/>
        <xsl:with-param name="kind" select="$kind"/>
        <xsl:with-param name="entry" select="$entry"/>
        <xsl:with-param name="text" select="st:plain(.)"/>
        <xsl:with-param name="anchor" select="st:anchor(.)"/>
        <!-- st:where and st:block-texts are cached per division and block (occurrence.xsl):
             called here, not from inside another function, where SaxonC loses the cache -->
        <xsl:with-param name="where" select="st:where(ancestor::tei:div[1])"/>
        <xsl:with-param name="before" select="st:context(., 'before', $texts)"/>
        <xsl:with-param name="after" select="st:context(., 'after', $texts)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- A speech mentions each person speaking whom the document's register (or the authority
       files) identifies; the speaker's label is the name as written. -->
  <xsl:template match="tei:sp" mode="st:mention">
    <xsl:variable name="sp" select="."/>
    <xsl:for-each select="distinct-values(tokenize(@who)) ! st:resolve(., $sp)">
      <xsl:call-template name="st:record">
        <xsl:with-param name="entity" select="."/>
        <xsl:with-param name="kind" select="($st:kind-of-entity(local-name()), '')[1]"/>
        <xsl:with-param name="entry" select="st:entity-entry-id(.)"/>
        <xsl:with-param name="text" select="($sp/tei:speaker[1] ! st:plain(.))[. != '']
            => head() => string()"/>
        <xsl:with-param name="anchor" select="st:speech-anchor($sp)"/>
        <xsl:with-param name="where" select="st:where($sp/ancestor::tei:div[1])"/>
        <xsl:with-param name="after" select="st:speech-start($sp)"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- What a speech's index entry shows after the speaker: its first words, as the reading
       text has them (stage directions and notes left out). -->
  <xsl:function name="st:speech-start" as="xs:string">
    <xsl:param name="sp" as="element(tei:sp)"/>
    <xsl:variable name="texts" select="$sp/(* except tei:speaker)//text()[not(ancestor::tei:note
        | ancestor::tei:stage | ancestor::tei:sic | ancestor::tei:orig)]"/>
    <xsl:sequence select="st:shorten(normalize-space(string-join(subsequence($texts, 1, 40))),
        $st:context-chars)"/>
  </xsl:function>

  <xsl:template name="st:record">
    <xsl:param name="entity" as="element()?"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="entry" as="xs:string"/>
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="anchor" as="xs:string"/>
    <xsl:param name="where" as="xs:string"/>
    <xsl:param name="before" as="xs:string" select="''"/>
    <xsl:param name="after" as="xs:string"/>
    <xsl:if test="$kind != ''">
      <st:m kind="{$kind}" entry="{$entry}" text="{if ($text != '' or not($entity)) then $text
          else st:entity-name($entity)}" anchor="{$anchor}" where="{$where}" before="{$before}"
          after="{$after}">
        <xsl:choose>
          <xsl:when test="exists($entity) and exists($authority) and root($entity) is $authority">
            <xsl:attribute name="ref" select="$entity/@xml:id"/>
          </xsl:when>
          <xsl:when test="$entity">
            <xsl:attribute name="local" select="$entity/@xml:id"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:attribute name="sort-key" select="st:sort-key((), .)"/>
            <xsl:attribute name="surname" select="st:surname((), .)"/>
          </xsl:otherwise>
        </xsl:choose>
      </st:m>
    </xsl:if>
  </xsl:template>

  <!-- The authority entry of a record: in the authority files, or the copy that the first
       record of its entry in the same document carries. -->
  <xsl:function name="st:record-entity" as="element()?">
    <xsl:param name="m" as="element(st:m)"/>
    <xsl:sequence select="if ($m/@ref) then ($authority ! key('st:entity', string($m/@ref), .))[1]
        else ($m/*, $m/../st:m[@entry = $m/@entry]/*)[1]"/>
  </xsl:function>

</xsl:stylesheet>
